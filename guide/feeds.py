"""Feeds of the calls for proposals and of the events, in the page's language.

Atom (RFC 4287) for new and changed calls; iCalendar (RFC 5545) for the dates
to put in a calendar: each call's deadline, the opening of upcoming calls,
and the events of the cluster network.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from directory.models import CallForProposals, ClusterType, DatePrecision, Event

FEED_ITEMS = 100


def _eligible_calls(type_slug=None):
    calls = CallForProposals.objects.published().select_related("funder")
    if type_slug:
        calls = calls.filter(eligible_types__slug=type_slug)
    return calls


class CallsAtomFeed(Feed):
    """New and changed calls for proposals, most recent change first."""

    feed_type = Atom1Feed

    def get_object(self, request, slug=None):
        return get_object_or_404(ClusterType, slug=slug) if slug else None

    def title(self, cluster_type):
        if cluster_type:
            return _("Calls for proposals open to: %(type)s") % {"type": cluster_type.name}
        return _("Calls for proposals – Guide to French clusters")

    def subtitle(self, cluster_type):
        return _("New and changed calls for proposals for French clusters.")

    def link(self, cluster_type):
        return cluster_type.get_absolute_url() if cluster_type else reverse("guide:call-list")

    def items(self, cluster_type):
        calls = _eligible_calls(cluster_type.slug if cluster_type else None)
        return calls.order_by("-updated_at", "pk")[:FEED_ITEMS]

    def item_title(self, call):
        return call.title

    def item_description(self, call):
        return call.description

    def item_pubdate(self, call):
        return call.created_at

    def item_updateddate(self, call):
        return call.updated_at

    def item_author_name(self, call):
        return call.funder.name if call.funder else None


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//CACIMA//Guide des clusters français//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _all_day(calendar, uid, day, end_day, summary, description, url, stamp):
    event = CalendarEvent()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", end_day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    calendar.add_component(event)


def _ics_response(calendar, filename):
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def calls_ics(request, slug=None):
    """Each call's deadline, and the opening of calls not open yet."""
    cluster_type = get_object_or_404(ClusterType, slug=slug) if slug else None
    language = translation.get_language()
    host = request.get_host()
    today = timezone.localdate()
    name = (
        _("Calls for proposals open to: %(type)s") % {"type": cluster_type.name}
        if cluster_type
        else _("Calls for proposals – Guide to French clusters")
    )
    calendar = _calendar(name)
    # Only exact dates go in a calendar: "2011" or "no later than" are not days.
    for call in _eligible_calls(slug).order_by("closes_on", "pk"):
        url = request.build_absolute_uri(call.get_absolute_url())
        stamp = call.updated_at.astimezone(datetime.UTC)
        if call.closes_on and call.closes_precision == DatePrecision.DAY:
            _all_day(
                calendar,
                f"call-{call.slug}-deadline-{language}@{host}",
                call.closes_on,
                call.closes_on,
                _("Deadline: %(title)s") % {"title": call.title},
                f"{call.description}\n\n{url}",
                url,
                stamp,
            )
        if call.opens_on and call.opens_on > today and call.opens_precision == DatePrecision.DAY:
            _all_day(
                calendar,
                f"call-{call.slug}-opening-{language}@{host}",
                call.opens_on,
                call.opens_on,
                _("Opening: %(title)s") % {"title": call.title},
                f"{call.description}\n\n{url}",
                url,
                stamp,
            )
    suffix = f"-{cluster_type.slug}" if cluster_type else ""
    return _ics_response(calendar, f"calls{suffix}-{language}.ics")


@require_safe
def events_ics(request):
    """The events of the cluster network whose dates are known to the day."""
    language = translation.get_language()
    host = request.get_host()
    calendar = _calendar(_("Events of the cluster network – Guide to French clusters"))
    events = Event.objects.published().filter(date_precision=DatePrecision.DAY)
    for event in events.select_related("organiser"):
        url = request.build_absolute_uri(event.get_absolute_url())
        place = ", ".join(part for part in (event.city, event.country) if part)
        _all_day(
            calendar,
            f"event-{event.slug}-{language}@{host}",
            event.starts_on,
            event.ends_on or event.starts_on,
            event.title,
            f"{event.description}\n\n{url}",
            url,
            event.updated_at.astimezone(datetime.UTC),
        )
        if place:
            calendar.subcomponents[-1].add("location", place)
    return _ics_response(calendar, f"events-{language}.ics")
