from django.urls import path

from courtier.calendar import views

app_name = "calendar"

urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("fermetures/<int:pk>/supprimer/", views.closure_remove, name="closure_remove"),
]
