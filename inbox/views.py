"""The public side of the inbox: ask for an introduction, report a mistake."""

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from directory.models import CallForProposals, Cluster, Event

from . import workflow
from .forms import ErrorReportForm, IntroductionForm, over_limit, without_nul
from .models import MAX_CLUSTERS

SENT_SALT = "inbox.sent"
ACKNOWLEDGEMENTS_PER_DAY = "3/d"  # per email address: nobody floods a mailbox through us
RATE_LIMITED = _(
    "You have sent several messages from this address in a short time. To protect the guide "
    "from abuse, this one was not sent: please try again in an hour. Your text is still below."
)
ENTRIES = {
    "cluster": Cluster,
    "call": CallForProposals,
    "event": Event,
}


def _limited(request, form) -> bool:
    """True when this address has sent its share: the form says so and nothing is stored."""
    if over_limit(request, "inbox", settings.FORM_RATE):
        form.add_error(None, RATE_LIMITED)
        return True
    return False


def _may_acknowledge(request, email: str) -> bool:
    return not email or not over_limit(
        request, "inbox-acknowledgements", ACKNOWLEDGEMENTS_PER_DAY, email
    )


def _sent(view_name: str, reference: str):
    token = signing.dumps(reference, salt=SENT_SALT)
    return redirect(reverse(view_name) + "?" + urlencode({"ref": token}))


def _reference(request) -> str:
    try:
        return signing.loads(request.GET.get("ref", ""), salt=SENT_SALT, max_age=7 * 24 * 3600)
    except signing.BadSignature:
        raise Http404 from None


def _render_form(request, template, form, context, status=200):
    form.refresh_stamp()
    return render(request, template, {"form": form, **context}, status=status)


def _take(request, form, template, context, sent_view, describe=None):
    """A posted form: shown again with what is wrong, refused past the rate limit, or
    stored, acknowledged and announced to staff (``describe`` completes the item first)."""
    if not form.is_valid():
        return _render_form(request, template, form, context)
    if _limited(request, form):
        return _render_form(request, template, form, context, status=429)
    item = form.save(commit=False)
    if describe:
        describe(item)
    workflow.receive(
        item,
        request,
        save_related=lambda item: form.save_m2m(),
        acknowledge=_may_acknowledge(request, item.email),
    )
    return _sent(sent_view, item.reference)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def introduction_new(request):
    """The introduction form; ``?cluster=``, ``?sector=`` and ``?region=`` fill it in."""
    template = "inbox/introduction_form.html"
    data, had_nul = without_nul(request.POST)
    source = data if request.method == "POST" else request.GET
    slugs = source.getlist("clusters") or source.getlist("cluster")
    shown = list(Cluster.objects.published().filter(slug__in=slugs[: MAX_CLUSTERS * 2]))
    if request.method != "POST":
        form = IntroductionForm(
            shown_clusters=shown,
            initial={
                "clusters": [c.slug for c in shown][:MAX_CLUSTERS],
                "sectors": request.GET.getlist("sector"),
                "regions": request.GET.getlist("region"),
                "reply_language": request.LANGUAGE_CODE,
            },
        )
        return _render_form(request, template, form, {})
    form = IntroductionForm(data, shown_clusters=shown, had_nul=had_nul)
    return _take(request, form, template, {}, "inbox:introduction-sent")


@never_cache
@require_safe
def introduction_sent(request):
    return render(request, "inbox/introduction_sent.html", {"reference": _reference(request)})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report_new(request, kind, slug):
    """Report a mistake on the page of a published cluster, call or event."""
    template = "inbox/report_form.html"
    entry = get_object_or_404(ENTRIES[kind].objects.published(), slug=slug)
    context = {"entry": entry}
    if request.method != "POST":
        return _render_form(request, template, ErrorReportForm(), context)

    def describe(report):
        setattr(report, kind, entry)
        report.page_title = str(entry)[:300]
        report.page_url = entry.get_absolute_url()

    data, had_nul = without_nul(request.POST)
    form = ErrorReportForm(data, had_nul=had_nul)
    return _take(request, form, template, context, "inbox:report-sent", describe)


@never_cache
@require_safe
def report_sent(request):
    return render(request, "inbox/report_sent.html", {"reference": _reference(request)})


# The forms answer a NUL character with a form error (clusters_site.middleware).
introduction_new.accepts_nul_in_form = True
report_new.accepts_nul_in_form = True
