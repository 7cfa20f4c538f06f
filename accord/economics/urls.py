from django.urls import path

from accord.economics.views import indices, investments, rates, values

app_name = "economics"
urlpatterns = [
    path("", indices.overview, name="overview"),
    path("values/", values.values, name="values"),
    path("values/new/", values.value_add, name="value_add"),
    path("values/export/", values.values_export, name="values_export"),
    path("values/<int:entry_id>/", values.value_detail, name="value_detail"),
    path("values/<int:entry_id>/edit/", values.value_edit, name="value_edit"),
    path("values/<int:entry_id>/delete/", values.value_delete, name="value_delete"),
    path("values/<int:entry_id>/evidence/", values.value_evidence, name="value_evidence"),
    path("investments/", investments.investments, name="investments"),
    path("investments/new/", investments.investment_add, name="investment_add"),
    path("investments/export/", investments.investments_export, name="investments_export"),
    path("investments/<int:entry_id>/", investments.investment_detail, name="investment_detail"),
    path("investments/<int:entry_id>/edit/", investments.investment_edit, name="investment_edit"),
    path(
        "investments/<int:entry_id>/delete/",
        investments.investment_delete,
        name="investment_delete",
    ),
    path("rates/", rates.rates, name="rates"),
    path("rates/set/", rates.rate_set, name="rate_set"),
    path("rates/delete/", rates.rate_delete, name="rate_delete"),
    path("rates/base/", rates.base_currency, name="base_currency"),
]
