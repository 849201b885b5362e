from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest

from commonground.audit.services import audit_record, snapshot

from . import services
from .models import ApiToken, Membership, SignInFailure

# What an administrator can change on an account, recorded before and after in the audit trail.
ACCOUNT_FIELDS = ["username", "email", "first_name", "last_name", "is_active", "is_staff"]
ACCOUNT_FIELDS += ["is_superuser"]


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    """Accounts are never hard-deleted: authorship of partnership records, statements and the
    audit trail must stay whole. "Delete" anonymises, exactly as a person deleting their own
    account does, and every change made here is audited."""

    actions = ["anonymise_accounts"]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        before = None
        if change:
            before = snapshot(User.objects.get(pk=obj.pk), ACCOUNT_FIELDS)
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="account.admin_change" if change else "account.admin_create",
            obj=obj,
            before=before,
            after=snapshot(obj, ACCOUNT_FIELDS),
        )

    def user_change_password(self, request, id, form_url=""):  # type: ignore[no-untyped-def]
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            # The password itself is never recorded, only that an administrator set it.
            audit_record(
                actor=request.user,
                action="account.admin_password_set",
                model="auth.user",
                object_id=id,
            )
        return response

    @admin.action(description="Delete the selected accounts (anonymised; their records stay)")
    def anonymise_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        deleted = 0
        for user in queryset:
            if user.pk == request.user.pk:
                self.message_user(
                    request,
                    "You cannot delete your own account here: use your account page.",
                    messages.ERROR,
                )
                continue
            services.account_delete(user, actor=request.user)  # type: ignore[arg-type]
            deleted += 1
        if deleted:
            self.message_user(request, f"{deleted} account(s) deleted and anonymised.")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Read-only: memberships change through the account pages so every change is audited."""

    list_display = ["user", "organisation", "role", "status", "first_claim", "requested_at"]
    list_filter = ["status", "role", "first_claim"]
    raw_id_fields = ["user", "organisation", "decided_by"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["token_hash"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # revoke through the account pages, which audit it

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(SignInFailure)
class SignInFailureAdmin(admin.ModelAdmin):
    list_display = ["at", "email", "ip"]
    search_fields = ["email", "ip"]
