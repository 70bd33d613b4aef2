"""Is this the version the broker validated? (DOMAIN §7; 002 §4.5.) Any signed-in person sends
a PDF, or types the verification code printed on its stamp, and reads the answer on the same
page: the verdict and, for a registered version, only what was validated, by whom, when and its
code (no other fact of the document: whoever holds the file or the code learns nothing more)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from courtier.documents import messages
from courtier.documents.forms import VerifyForm
from courtier.documents.verification import validator_name, verify_code, verify_pdf


def verify(request: HttpRequest) -> HttpResponse:
    """GET: the form; POST: the form again with the answer (200), or its errors (422)."""
    if request.method != "POST":
        return render(request, "documents/verify.html", {"form": VerifyForm()})
    form = VerifyForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "documents/verify.html", {"form": form}, status=422)
    context = {"form": VerifyForm()}
    if form.cleaned_data["file"] is not None:
        context["result"] = verify_pdf(form.cleaned_data["file"])
        context["name"] = request.FILES["file"].name
    else:
        context["code"] = form.cleaned_data["code"]
        found = verify_code(form.cleaned_data["code"])
        context["found"] = found
        context["found_by"] = validator_name(found) if found is not None else ""
        context["code_unknown"] = messages.CODE_UNKNOWN
    return render(request, "documents/verify.html", context)


urlpatterns = [path("verifier/", verify, name="verify")]
