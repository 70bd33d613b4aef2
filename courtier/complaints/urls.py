from django.urls import path

from courtier.complaints.views import pages

app_name = "complaints"

urlpatterns = [
    path("", pages.complaint_list, name="complaint_list"),
    path("nouvelle/", pages.complaint_create, name="complaint_create"),
    path("<int:pk>/", pages.complaint_detail, name="detail"),
    path("<int:pk>/<slug:op>/", pages.complaint_action, name="complaint_action"),
]
