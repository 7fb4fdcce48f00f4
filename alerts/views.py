"""The alerts' pages: subscribe, the confirmation link, a subscription's own page,
one-click unsubscription (RFC 8058). No account: the links are signed."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from inbox.forms import over_limit, without_nul

from . import subscriptions
from .follows import FILTERS, described, normalised
from .forms import ManageForm, SubscribeForm
from .models import CONFIRM_SALT, MANAGE_SALT, Subscription, Target

CONFIRMATIONS_PER_DAY = "5/d"  # per email address, whatever it follows
RATE_LIMITED = _(
    "Several alerts were asked for from this address, or for this email, in a short time. "
    "To protect the guide and the people it writes to, this one was not recorded: please "
    "try again later."
)
LIST_PAGES = {
    Target.CLUSTERS: "guide:cluster-list",
    Target.CALLS: "guide:call-list",
    Target.EVENTS: "guide:event-list",
}


def _limited(request, email: str) -> bool:
    by_address = over_limit(request, "alerts", settings.FORM_RATE)
    by_email = over_limit(request, "alerts-email", CONFIRMATIONS_PER_DAY, email)
    return by_address or by_email


def _page(target: str, query: str) -> str:
    """The list page a subscription follows, with its filters."""
    return reverse(LIST_PAGES[target]) + (f"?{query}" if query else "")


def _followed(data) -> tuple[str, str]:
    """What a visitor asks to follow (``target`` and ``query``), as stored: a known target
    (else the directory), and the query normalised by its page's filters."""
    target = data.get("target")
    target = target if target in FILTERS else Target.CLUSTERS
    return target, normalised(target, str(data.get("query", ""))[:2000])


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    """The subscription form: ``?target=clusters&query=…`` says what to follow."""
    template = "alerts/subscribe.html"
    if request.method != "POST":
        target, query = _followed(request.GET)
        form = SubscribeForm(initial={"target": target, "query": query})
        return render(request, template, _context(form, target, query))
    data, had_nul = without_nul(request.POST)
    form = SubscribeForm(data, had_nul=had_nul)
    target, query = _followed(form.data)
    if not form.is_valid():
        form.refresh_stamp()
        return render(request, template, _context(form, target, query))
    if _limited(request, form.cleaned_data["email"]):
        form.add_error(None, RATE_LIMITED)
        form.refresh_stamp()
        return render(request, template, _context(form, target, query), status=429)
    subscriptions.subscribe(
        email=form.cleaned_data["email"],
        target=target,
        query=query,
        language=request.LANGUAGE_CODE,
        frequency=form.cleaned_data["frequency"],
        page=_page(target, query),
        absolute=request.build_absolute_uri,
    )
    return redirect("alerts:subscribe-sent")


def _context(form, target, query):
    return {
        "form": form,
        "target": Target(target),
        "filters": described(target, query),
        "page_url": _page(target, query),
    }


@never_cache
@require_safe
def subscribe_sent(request):
    return render(request, "alerts/subscribe_sent.html")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """The link of the confirmation email: a button confirms (a mail scanner following
    the link confirms nothing)."""
    subscription = Subscription.from_token(token, CONFIRM_SALT)
    if subscription is None:
        return render(request, "alerts/link_invalid.html", status=404)
    if request.method == "POST":
        subscriptions.confirm(subscription)
        return redirect(subscription.get_absolute_url() + "?confirmed=1")
    return render(
        request,
        "alerts/confirm.html",
        {
            "subscription": subscription,
            "filters": described(subscription.target, subscription.query),
            "page_url": _page(subscription.target, subscription.query),
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token):
    """A subscription's own page: what it follows; change the frequency, pause, delete."""
    subscription = Subscription.from_token(token, MANAGE_SALT)
    if subscription is None or subscription.confirmed_at is None:
        return render(request, "alerts/link_invalid.html", status=404)
    saved = False
    if request.method == "POST" and "delete" in request.POST:
        subscriptions.unsubscribe(subscription)
        return redirect("alerts:unsubscribed")
    if request.method == "POST":
        form = ManageForm(request.POST)
        if form.is_valid():
            if subscription.paused and not form.cleaned_data["paused"]:
                subscription.watermark = timezone.now()  # resumed: news from now on
            subscription.frequency = form.cleaned_data["frequency"]
            subscription.paused = form.cleaned_data["paused"]
            subscription.save(update_fields=["frequency", "paused", "watermark"])
            saved = True
    else:
        form = ManageForm(
            initial={"frequency": subscription.frequency, "paused": subscription.paused}
        )
    return render(
        request,
        "alerts/manage.html",
        {
            "subscription": subscription,
            "form": form,
            "saved": saved,
            "confirmed": request.GET.get("confirmed") == "1",
            "filters": described(subscription.target, subscription.query),
            "page_url": _page(subscription.target, subscription.query),
        },
    )


@csrf_exempt  # RFC 8058: mail providers post without a form of ours
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """The address of every digest's unsubscribe link and ``List-Unsubscribe`` header.

    A mail provider's one-click POST (``List-Unsubscribe=One-Click``, RFC 8058)
    deletes the alert and gets 204; a person's browser gets a page whose
    button does the same (a link opened by a mail scanner deletes nothing).
    """
    subscription = Subscription.from_token(token, MANAGE_SALT)
    if request.method == "POST" and request.POST.get("List-Unsubscribe") == "One-Click":
        if subscription is not None:
            subscriptions.unsubscribe(subscription)
        return HttpResponse(status=204)  # already gone or never made: the same answer
    if subscription is None:
        return render(request, "alerts/link_invalid.html", status=404)
    if request.method == "POST":
        subscriptions.unsubscribe(subscription)
        return redirect("alerts:unsubscribed")
    return render(request, "alerts/unsubscribe.html", {"subscription": subscription})


@never_cache
@require_safe
def unsubscribed(request):
    return render(request, "alerts/unsubscribed.html")


subscribe.accepts_nul_in_form = True
