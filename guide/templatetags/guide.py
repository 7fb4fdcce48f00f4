import html
import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from directory.models import DatePrecision
from guide import structured_data
from guide.pages import MAIN_PAGES

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in every language: (code, name in that language, url, is_current)."""
    request = context["request"]
    current = context.get("LANGUAGE_CODE", settings.LANGUAGE_CODE)
    path = request.get_full_path()
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": _page_in(path, code, current),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]


@register.simple_tag(takes_context=True)
def main_pages(context):
    """The main menu: (url, label, is the current page) for each main page."""
    view_name = getattr(context["request"].resolver_match, "view_name", None)
    return [
        {"url": reverse(name), "label": label, "current": name == view_name}
        for name, label in MAIN_PAGES
    ]


def _page_in(path: str, code: str, current: str) -> str:
    """``path`` in language ``code``; that language's home page when it has no
    such page (a 404) or when the path would leave the site (``//host``)."""
    url = translate_url(path, code)
    if url.startswith("//") or (url == path and code != current):
        with translation.override(code):
            return reverse("guide:home")
    return url


@register.filter
def lines(text):
    """A text field's non-empty lines (sources are stored one per line)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@register.filter
def paragraphs(text):
    """A text field split into paragraphs on blank lines."""
    return [part.strip() for part in (text or "").split("\n\n") if part.strip()]


@register.simple_tag
def approximate_date(value, precision="day"):
    """A date written as precisely as it is known (see models.DatePrecision)."""
    if precision == DatePrecision.MONTH:
        return date_format(value, "YEAR_MONTH_FORMAT")
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.BEFORE:
        return _("no later than %(date)s") % {"date": date_format(value, "DATE_FORMAT")}
    return date_format(value, "DATE_FORMAT")


_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """A <script type="application/ld+json"> block, safe to embed in HTML."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag(takes_context=True)
def page_json_ld(context, title):
    """The page's schema.org data: what its view gave (``json_ld``), else a plain
    WebPage named by the page's ``title`` (as printed in its <title>)."""
    data = context.get("json_ld")
    if not data:
        name = html.unescape(strip_tags(title)).strip()
        data = [structured_data.web_page(context["request"], name)]
    return json_ld(data)


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        context[self.name] = mark_safe(self.nodelist.render(context))  # rendered: escaped
        return ""


@register.tag
def capture(parser, token):
    """``{% capture as name %}…{% endcapture %}``: what the content prints, kept in
    ``name`` instead (base.html keeps the page's title for <title> and its JSON-LD)."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.filter
def mul(value, factor):
    """Multiplication for chart geometry: {{ forloop.counter0|mul:44 }}."""
    return int(value) * int(factor)


@register.filter
def only_params(query, names):
    """The query string with only the parameters ``names`` ("sector,region"), for a link
    that carries the visitor's choices elsewhere."""
    kept = query.copy()
    for name in list(kept):
        if name not in names.split(","):
            del kept[name]
    return kept.urlencode()
