from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign_out"),
    path("signed-out/", views.signed_out, name="signed_out"),
    path("agencies/", views.agencies, name="agencies"),
    path("people/", views.people, name="people"),
    path("two-factor/set-up/", views.two_factor_enrol, name="two_factor_enrol"),
    path("two-factor/backup-codes/", views.two_factor_backup_codes, name="two_factor_backup_codes"),
    path("two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("people/<num:pk>/two-factor/reset/", views.two_factor_reset, name="two_factor_reset"),
]
