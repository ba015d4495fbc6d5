from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and agencies"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts.sessions import stamp_at_sign_in

        user_logged_in.connect(stamp_at_sign_in, dispatch_uid="accounts.stamp_at_sign_in")
