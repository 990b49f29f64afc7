"""Names for the admin's inputs that Django renders without a label of their own: the fields of
tabular inline rows and of list-editable cells (under a column header only), empty speaker
pickers, the empty first header of tabular inlines, and blank values in list filters (an empty
link). axe-core's `label`, `select-name`, `aria-input-field-name`, `empty-table-header` and
`link-name` rules."""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.forms import BaseInlineFormSet, BaseModelFormSet
from django.utils.text import capfirst


def name_fields(form, index):
    """Give each visible field of a formset row an accessible name: its label and the row."""
    noun = form._meta.model._meta.verbose_name
    row = f"{noun} {index + 1}" if index is not None else f"new {noun}"
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        label = f"{capfirst(field.label or name)}, {row}"
        # the widget itself: a RelatedFieldWidgetWrapper's attrs are those of the field's
        # original widget, shared by every row
        widget = getattr(field.widget, "widget", field.widget)
        widget.attrs["aria-label"] = label
        if isinstance(widget, AutocompleteSelect):
            # select2 hides the select and copies its title (not its aria-label) to the
            # combobox it shows instead
            widget.attrs["title"] = label


class NamedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete whose empty state reads "No speaker": select2 names its combobox after
    the text it shows, which is empty without a placeholder."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        return {**super().build_attrs(base_attrs, extra_attrs), "data-placeholder": f"No {self.field.verbose_name}"}


class NamedAutocompletes:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = NamedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class NamedRowsInlineFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)  # adds DELETE, which needs a name too
        name_fields(form, index)


class NamedRowsModelFormSet(BaseModelFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        name_fields(form, index)


class NamedRowsInline(NamedAutocompletes):
    """For TabularInline: every input of every row has a name."""

    formset = NamedRowsInlineFormSet

    class Media:
        js = ["archive/admin_labels.js"]


class NamedCellsAdmin(NamedAutocompletes):
    """For a ModelAdmin with list_editable: every input of the list has a name."""

    class Media:
        js = ["archive/admin_labels.js"]

    def get_changelist_formset(self, request, **kwargs):
        return super().get_changelist_formset(request, formset=NamedRowsModelFormSet, **kwargs)


class ValuesFilter(admin.AllValuesFieldListFilter):
    """Django's filter by the values a field has, with a name for the blank value."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            yield {**choice, "display": choice["display"] if choice["display"] != "" else "(blank)"}
