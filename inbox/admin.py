"""The staff inbox: requests and reports, their status, who has them, what was done."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from . import workflow
from .admin_forms import CloseReportForm, ForwardForm, MessageForm, drafted, forward_draft
from .figures import inbox_figures
from .forms import country_name
from .models import FINISHED, Action, ErrorReport, IntroductionRequest, Language, Status

# What every item's page opens with: where it stands.
STATE = (
    None,
    {"fields": ["reference", "status", "assignee", "received_at", "first_action_at", "closed_at"]},
)


def chosen_language(request, default: str) -> str:
    """The language staff chose for a message (``?language=`` or the form's), else ``default``."""
    language = request.POST.get("language") or request.GET.get("language")
    return language if language in Language.values else default


class ActionInline(admin.TabularInline):
    """What was done, by whom and when: read only, kept with the item."""

    model = Action
    extra = 0
    can_delete = False
    fields = ["at", "kind", "by", "note", "recipients"]
    readonly_fields = fields
    verbose_name_plural = _("What was done")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OpenFilter(admin.SimpleListFilter):
    """Open items first: the list opens on what still needs someone."""

    title = _("open or finished")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("yes", _("Open")), ("no", _("Finished"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(status__in=FINISHED)
        if self.value() == "no":
            return queryset.filter(status__in=FINISHED)
        return queryset


class InboxAdmin(admin.ModelAdmin):
    """What the request and report lists share."""

    list_filter = [OpenFilter, "status", ("assignee", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["assignee"]
    date_hierarchy = "received_at"
    inlines = [ActionInline]
    list_per_page = 50
    editable = ["status", "assignee"]

    def has_add_permission(self, request):
        return False  # visitors send them, from the public site

    def get_readonly_fields(self, request, obj=None):
        return [
            f.name
            for f in self.model._meta.fields
            if f.name not in self.editable and f.name != "id"
        ] + list(self.extra_readonly)

    extra_readonly = ()

    @admin.display(description=_("age"), ordering="received_at")
    def age(self, obj):
        return timesince(obj.received_at, depth=1)

    def index_count(self, request):
        """New items, beside the list's name on the admin index."""
        return self.model.objects.filter(status=Status.NEW).count()

    def save_model(self, request, obj, form, change):
        """Status and assignee changes go through the workflow, so each is kept as an action."""
        stored = type(obj).objects.get(pk=obj.pk)
        new_status, new_assignee = obj.status, obj.assignee
        obj.status, obj.assignee = stored.status, stored.assignee
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if new_assignee != stored.assignee:
                workflow.set_assignee(obj, new_assignee, request.user)
            if new_status != stored.status:
                workflow.set_status(obj, new_status, request.user)

    def get_urls(self):
        meta = self.model._meta
        name = f"{meta.app_label}_{meta.model_name}"
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/reply/", view(self.reply_view), name=f"{name}_reply"),
            path("<int:pk>/spam/", view(self.spam_view), name=f"{name}_spam"),
            *self.extra_urls(name, view),
            *super().get_urls(),
        ]

    def extra_urls(self, name, view):
        return []

    def item_for(self, request, pk):
        item = get_object_or_404(self.model, pk=pk)
        if not self.has_change_permission(request, item):
            raise PermissionDenied
        return item

    def action_page(self, request, item, title, form, template="admin/inbox/action.html", **extra):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": item,
            "title": title,
            "form": form,
            **extra,
        }
        return TemplateResponse(request, template, context)

    def back_to(self, item):
        meta = self.model._meta
        return redirect(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[item.pk]))

    def reply_language(self, item) -> str:
        return item.language

    def reply_view(self, request, pk):
        item = self.item_for(request, pk)
        if not item.email:
            messages.error(request, _("This visitor left no email address."))
            return self.back_to(item)
        language = chosen_language(request, self.reply_language(item))
        form = MessageForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            workflow.reply(
                item,
                request.user,
                form.cleaned_data["subject"],
                form.cleaned_data["body"],
                language,
            )
            messages.success(
                request, _("Your reply is on its way to %(email)s.") % {"email": item.email}
            )
            return self.back_to(item)
        if request.method != "POST":
            subject, body = drafted("inbox/mail/reply", language, {"item": item})
            form = MessageForm(initial={"subject": subject, "body": body})
        return self.action_page(
            request,
            item,
            _("Reply to %(item)s") % {"item": item},
            form,
            language=language,
            languages=Language.choices,
            recipient=item.email,
        )

    def spam_view(self, request, pk):
        item = self.item_for(request, pk)
        if request.method == "POST":
            workflow.mark_spam(item, request.user)
            messages.success(request, _("%(item)s is marked as spam.") % {"item": item})
            return self.back_to(item)
        return self.action_page(
            request,
            item,
            _("Mark %(item)s as spam?") % {"item": item},
            None,
            template="admin/inbox/confirm_spam.html",
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "inbox_figures": inbox_figures()}
        return super().changelist_view(request, extra_context)


@admin.register(IntroductionRequest)
class IntroductionRequestAdmin(InboxAdmin):
    list_display = ["reference", "organisation", "country_display", "status", "assignee", "age"]
    list_filter = [*InboxAdmin.list_filter, "reply_language", "timeframe"]
    search_fields = ["reference", "name", "organisation", "email", "looking_for"]
    editable = ["status", "assignee", "clusters"]
    autocomplete_fields = ["clusters"]
    extra_readonly = ("country_display", "sectors_display", "regions_display")
    change_list_template = "admin/inbox/request_change_list.html"
    fieldsets = [
        STATE,
        (
            _("Who"),
            {
                "fields": [
                    "name",
                    "organisation",
                    "country_display",
                    "email",
                    "phone",
                    "reply_language",
                    "language",
                ]
            },
        ),
        (
            _("What"),
            {
                "fields": [
                    "looking_for",
                    "sectors_display",
                    "regions_display",
                    "clusters",
                    "timeframe",
                ]
            },
        ),
        (_("Consent"), {"fields": ["consent", "share_address"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [name for name in super().get_readonly_fields(request, obj) if name != "country"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sectors", "regions")

    @admin.display(description=_("country"), ordering="country")
    def country_display(self, obj):
        return country_name(obj.country)

    @admin.display(description=_("sectors"))
    def sectors_display(self, obj):
        return ", ".join(str(sector) for sector in obj.sectors.all()) or "—"

    @admin.display(description=_("French regions"))
    def regions_display(self, obj):
        return ", ".join(str(region) for region in obj.regions.all()) or "—"

    def reply_language(self, item):
        return item.reply_language

    def extra_urls(self, name, view):
        return [path("<int:pk>/forward/", view(self.forward_view), name=f"{name}_forward")]

    def forward_view(self, request, pk):
        item = self.item_for(request, pk)
        language = chosen_language(request, Language.FR)
        if request.method == "POST":
            form = ForwardForm(request.POST, item=item)
            if form.is_valid():
                data = form.cleaned_data
                workflow.forward(
                    item,
                    request.user,
                    list(data["contacts"]),
                    data["language"],
                    data["subject"],
                    data["body"],
                )
                messages.success(request, _("The request is on its way to the clusters you chose."))
                return self.back_to(item)
        else:
            form = ForwardForm(initial=forward_draft(item, language), item=item)
        return self.action_page(
            request,
            item,
            _("Forward %(item)s to clusters") % {"item": item},
            form,
            template="admin/inbox/forward.html",
            language=language,
            languages=Language.choices,
        )


@admin.register(ErrorReport)
class ErrorReportAdmin(InboxAdmin):
    list_display = ["reference", "page_title", "kind", "status", "assignee", "age"]
    list_filter = [*InboxAdmin.list_filter, "kind"]
    search_fields = ["reference", "page_title", "description", "email"]
    extra_readonly = ("entry_links",)
    fieldsets = [
        STATE,
        (_("Report"), {"fields": ["entry_links", "kind", "description", "email", "language"]}),
        (_("Fix"), {"fields": ["fix"]}),
    ]

    @admin.display(description=_("page"))
    def entry_links(self, obj):
        entry = obj.entry
        if entry is None:
            return format_html("{} ({})", obj.page_title, _("deleted since"))
        meta = entry._meta
        edit = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[entry.pk])
        return format_html(
            '{} — <a href="{}">{}</a> · <a href="{}">{}</a>',
            obj.page_title,
            edit,
            _("edit it"),
            obj.page_url,
            _("see the page"),
        )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("cluster", "call", "event")

    def extra_urls(self, name, view):
        return [path("<int:pk>/close/", view(self.close_view), name=f"{name}_close")]

    def close_view(self, request, pk):
        report = self.item_for(request, pk)
        form = CloseReportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            workflow.close_report(
                report, request.user, form.cleaned_data["fix"], form.cleaned_data["tell_reporter"]
            )
            messages.success(request, _("%(item)s is closed.") % {"item": report})
            return self.back_to(report)
        return self.action_page(request, report, _("Close %(item)s") % {"item": report}, form)
