from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("alerts/new/", views.subscribe, name="subscribe"),
    path("alerts/sent/", views.subscribe_sent, name="subscribe-sent"),
    path("alerts/confirm/<str:token>/", views.confirm, name="confirm"),
    path("alerts/unsubscribed/", views.unsubscribed, name="unsubscribed"),
    path("alerts/<str:token>/", views.manage, name="manage"),
    path("alerts/<str:token>/unsubscribe/", views.unsubscribe, name="unsubscribe"),
]
