from django.urls import path

from courtier.exitplans.views import lists, plans

app_name = "exitplans"

urlpatterns = [
    path("", lists.plan_list, name="plan_list"),
    path("contrats/<int:pk>/", plans.plan_detail, name="plan"),
    path("contrats/<int:pk>/<slug:op>/", plans.plan_action, name="plan_action"),
]
