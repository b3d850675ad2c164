"""Form pieces every phase uses: the group a viewer may post to, tags, files, links."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from learnloop.core import access
from learnloop.core.models import Visibility
from learnloop.core.publication import FIELD as GUIDELINES_FIELD
from learnloop.core.publication import active_guidelines


def postable_groups(viewer: Any) -> Any:
    from learnloop.people.models import Group

    qs = Group.objects.filter(archived_at__isnull=True)
    if not access.is_steward(viewer):
        qs = qs.filter(pk__in=sorted(access.group_ids(viewer)))
    return qs.order_by("name")


class GuidelineChecklistWidget(forms.CheckboxSelectMultiple):
    """The voice guidelines as a checklist, each with its explanation.

    It loads a small static script that shows the list only while Public is chosen; without
    the script the list is simply always there, with a help text saying when it matters.
    """

    template_name = "sharing/guideline_checklist.html"

    def __init__(self, *args: Any, explanations: dict[str, str] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.explanations = explanations or {}

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["items"] = [
            {**option, "explanation": self.explanations.get(str(option["value"]), "")}
            for _group, options, _index in context["widget"]["optgroups"]
            for option in options
        ]
        return context


class _ChecklistBoundField(BoundField):
    @property
    def widget_type(self) -> str:
        # Form templates put a list of checkboxes in a fieldset with a legend.
        return "checkboxselectmultiple"


class GuidelinesField(forms.MultipleChoiceField):
    """Ticks against the active voice guidelines; cleans to True when every one is ticked.

    Whether that is required is the service's rule (`core.publication`), so the field
    itself never fails: an id that was retired meanwhile is simply ignored.
    """

    bound_field_class = _ChecklistBoundField

    def validate(self, value: Any) -> None:
        return None

    def clean(self, value: Any) -> bool:
        ticked = {str(v) for v in self.to_python(value)}
        choices: Any = self.choices
        wanted = [str(v) for v, _label in choices]
        return bool(wanted) and all(v in ticked for v in wanted)


def add_guideline_check(
    form: forms.BaseForm, *, already_public: bool = False, help_text: Any = None
) -> None:
    """Add the `guidelines_confirmed` checklist to a form that can make something public,
    unless the item is public already or the network has no active guidelines."""
    if already_public:
        return
    guidelines = active_guidelines()
    if not guidelines:
        return
    field = GuidelinesField(
        label=_("Before it goes public"),
        required=False,
        choices=[(str(g.pk), g.text) for g in guidelines],
        widget=GuidelineChecklistWidget(
            explanations={str(g.pk): g.explanation for g in guidelines}
        ),
        help_text=help_text
        or _(
            "Only needed when you choose Public: read what you wrote against each of the "
            "network's voice guidelines and tick them all."
        ),
    )
    # Right after the visibility choice it depends on (or last, when there is none).
    fields = list(form.fields.items())
    at = next((i + 1 for i, (name, _f) in enumerate(fields) if name == "visibility"), len(fields))
    fields.insert(at, (GUIDELINES_FIELD, field))
    form.fields = dict(fields)


def pop_guideline_check(form: forms.BaseForm, data: dict[str, Any]) -> bool:
    """Take the checklist out of `cleaned_data` (so views that pass `**cleaned_data` to a
    service are unaffected) and answer whether every guideline was ticked."""
    return bool(data.pop(GUIDELINES_FIELD, False))


class ItemForm(forms.Form):
    """Base for forms that place an item in a group at a visibility level.

    When the network has voice guidelines, the form also carries their checklist for the
    moment the item becomes public; views pass `form.guidelines_confirmed` to the service.
    """

    guidelines_confirmed: bool = False

    group: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Group"), empty_label=_("— the whole network —")
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        initial=Visibility.NETWORK,
        label=_("Who can see it"),
        help_text=_(
            "Private draft: only you. Group: its members. Network: every member. "
            "Public: anyone, without logging in."
        ),
    )

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.fields["group"].queryset = postable_groups(viewer)  # type: ignore[attr-defined]
        # Edit forms start from the item's values: a public item is asked nothing more.
        add_guideline_check(self, already_public=self.initial.get("visibility") == "public")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.guidelines_confirmed = pop_guideline_check(self, data)
        if data.get("visibility") == Visibility.GROUP and not data.get("group"):
            self.add_error("group", _("Choose the group that may see this."))
        return data


class TagsField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Tags"))
        kwargs.setdefault("help_text", _("Comma-separated, e.g. attendance, family engagement"))
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)


class LinksField(forms.CharField):
    """One URL per line."""

    widget = forms.Textarea(attrs={"rows": 2})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Links to evidence"))
        kwargs.setdefault("help_text", _("One web address per line."))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value) or ""
        urls = [line.strip() for line in text.splitlines() if line.strip()]
        validate = URLValidator(schemes=["http", "https"])
        for url in urls:
            try:
                validate(url)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(url)s” is not a web address (it should start with https://)."),
                    params={"url": url},
                ) from None
        return urls


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Files"))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Add a comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000
    )
