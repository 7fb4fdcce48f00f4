"""Bulk import and export of clusters (CSV, XLSX), matched on slug.

Used by the admin's import/export screens and by ``manage.py import_clusters``.
A row that cannot be used (unknown type, sector or region, a missing French
name, a duplicate name...) is rejected with its reasons; the other rows go in.
"""

from django.core.exceptions import ValidationError
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import CachedInstanceLoader

from .models import Cluster, ClusterType, Region, Sector

SEPARATOR = "|"


def _blank(value):
    return "" if value is None else value


class SlugForeignKeyWidget(widgets.ForeignKeyWidget):
    """A related row given by its slug; an unknown slug is a row error, not a crash."""

    def __init__(self, model):
        super().__init__(model, field="slug")

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if not value:
            return None
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(_("unknown value “%(value)s”") % {"value": value}) from None


class SlugManyToManyWidget(widgets.ManyToManyWidget):
    """Related rows given as slugs separated by "|"; unknown slugs are reported."""

    def __init__(self, model):
        super().__init__(model, separator=SEPARATOR, field="slug")
        self.known = None  # slug -> object, filled for the length of one import

    def clean(self, value, row=None, **kwargs):
        slugs = [s.strip() for s in force_str(value or "").split(SEPARATOR) if s.strip()]
        if self.known is None:
            found = list(self.model.objects.filter(slug__in=slugs))
        else:
            found = [self.known[slug] for slug in dict.fromkeys(slugs) if slug in self.known]
        unknown = sorted(set(slugs) - {obj.slug for obj in found})
        if unknown:
            raise ValueError(_("unknown value(s): %(values)s") % {"values": ", ".join(unknown)})
        return found


class ClusterResource(resources.ModelResource):
    cluster_type = fields.Field(
        attribute="cluster_type",
        column_name="cluster_type",
        widget=SlugForeignKeyWidget(ClusterType),
    )
    sectors = fields.Field(
        attribute="sectors", column_name="sectors", widget=SlugManyToManyWidget(Sector)
    )
    regions = fields.Field(
        attribute="regions", column_name="regions", widget=SlugManyToManyWidget(Region)
    )

    class Meta:
        model = Cluster
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name_fr",
            "name_en",
            "acronym",
            "cluster_type",
            "sectors",
            "regions",
            "city",
            "website",
            "email",
            "phone",
            "description_fr",
            "description_en",
            "founded_year",
            "member_count",
            "member_count_year",
            "is_active",
            "is_published",
            "verification",
            "last_reviewed",
            "sources",
        ]
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        instance_loader_class = CachedInstanceLoader

    def import_instance(self, instance, row, **kwargs):
        """Check the many-to-many columns with the others, so that a bad value
        rejects its row instead of failing the whole import when saved."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors.update(error.error_dict)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row, **kwargs)
                except ValueError as error:
                    errors[field.attribute] = [ValidationError(force_str(error), code="invalid")]
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged rows are skipped; an empty cell equals an empty (NULL) column."""
        if import_validation_errors or original.pk is None:
            return False
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget):
                if field.column_name not in row:
                    continue
                new = {obj.pk for obj in field.clean(row)}
                if new != {obj.pk for obj in field.get_value(original).all()}:
                    return False
            elif _blank(field.get_value(instance)) != _blank(field.get_value(original)):
                return False
        return True

    def before_import(self, dataset, **kwargs):
        # Sectors and regions are few: look them up once, not three times a row.
        for field in self.get_import_fields():
            if isinstance(field.widget, SlugManyToManyWidget):
                field.widget.known = {obj.slug: obj for obj in field.widget.model.objects.all()}

    def get_queryset(self):
        return Cluster.objects.select_related("cluster_type").prefetch_related("sectors", "regions")
