from django.urls import path

from . import views

app_name = "inbox"

urlpatterns = [
    path("introductions/new/", views.introduction_new, name="introduction-new"),
    path("introductions/sent/", views.introduction_sent, name="introduction-sent"),
    path(
        "clusters/<slug:slug>/report/", views.report_new, {"kind": "cluster"}, name="report-cluster"
    ),
    path("calls/<slug:slug>/report/", views.report_new, {"kind": "call"}, name="report-call"),
    path("events/<slug:slug>/report/", views.report_new, {"kind": "event"}, name="report-event"),
    path("reports/sent/", views.report_sent, name="report-sent"),
]
