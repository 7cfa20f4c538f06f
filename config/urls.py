from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", include("accord.api.urls")),
    path("", include("accord.partnerships.urls")),
    path("", include("accord.notifications.urls")),
    path("", include("accord.communication.account_urls")),
    path("", include("accord.imports.urls")),
    path("partnerships/<int:pk>/trust/", include("accord.trust.urls")),
    path("partnerships/<int:pk>/culture/", include("accord.culture.urls")),
    path("partnerships/<int:pk>/economics/", include("accord.economics.urls")),
    path("partnerships/<int:pk>/incentives/", include("accord.incentives.urls")),
    path("partnerships/<int:pk>/governance/", include("accord.governance.urls")),
    path("partnerships/<int:pk>/conflicts/", include("accord.conflicts.urls")),
    path("partnerships/<int:pk>/accountability/", include("accord.accountability.urls")),
    path("partnerships/<int:pk>/performance/", include("accord.performance.urls")),
    path("partnerships/<int:pk>/communication/", include("accord.communication.urls")),
    path("partnerships/<int:pk>/health/", include("accord.health.urls")),
    path("partnerships/<int:pk>/", include("accord.interventions.urls")),
    path("partnerships/<int:pk>/formation/", include("accord.formation.urls")),
    path("partnerships/<int:pk>/review-pack/", include("accord.review_pack.urls")),
    path("portfolio/", include("accord.portfolio.urls")),
]
