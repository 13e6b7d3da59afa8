from django.contrib.auth.backends import ModelBackend


class TrappenModelBackend(ModelBackend):
    """Loads the user with the municipality and role assignments every page needs."""

    def get_user(self, user_id):
        user_model = self._get_user_model()
        user = (
            user_model._default_manager.select_related("municipality")
            .prefetch_related("role_assignments")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    def _get_user_model(self):
        from django.contrib.auth import get_user_model

        return get_user_model()
