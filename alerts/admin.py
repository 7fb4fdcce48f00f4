"""The alerts in the admin: to answer a subscriber who writes to the staff, or delete one."""

from django.contrib import admin

from .models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "target", "frequency", "language", "confirmed_at", "paused"]
    list_filter = ["target", "frequency", "language", "paused"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    # What the subscriber asked for and agreed to is theirs to change, not the staff's.
    readonly_fields = [
        "email",
        "target",
        "query",
        "language",
        "frequency",
        "paused",
        "created_at",
        "consent_page",
        "confirmed_at",
        "confirmation_sent_at",
        "watermark",
    ]

    def has_add_permission(self, request):
        return False
