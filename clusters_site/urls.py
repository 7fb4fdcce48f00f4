from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from directory import views

urlpatterns = [
    path("", views.choose_language, name="root"),
    path("admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(
    path("", include("directory.urls")),
    prefix_default_language=True,
)
