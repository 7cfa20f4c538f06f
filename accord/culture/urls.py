from django.urls import path

from accord.culture.views import pages

app_name = "culture"
urlpatterns = [
    path("", pages.overview, name="overview"),
    path("report/", pages.report, name="report"),
    path("report.md", pages.report_markdown, name="report_markdown"),
    path("report.pdf", pages.report_pdf, name="report_pdf"),
    path("practices/", pages.practices, name="practices"),
    path("practices/customize/", pages.catalog_customize, name="catalog_customize"),
    path("practices/<int:practice_id>/edit/", pages.practice_edit, name="practice_edit"),
    path("practices/<int:practice_id>/remove/", pages.practice_remove, name="practice_remove"),
]
