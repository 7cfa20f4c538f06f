from django.urls import path

from accord.review_pack import views

app_name = "review_pack"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>-q<int:quarter>.pdf", views.pdf, name="pdf"),
    path("<int:year>-q<int:quarter>.md", views.markdown, name="markdown"),
]
