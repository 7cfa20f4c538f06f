from django.urls import path

from accord.notifications import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path(
        "notifications/read/", views.notification_mark_all_read, name="notification_mark_all_read"
    ),
]
