"""Staff admin: policy versions (write, then publish), the read-only consent ledger, and the
disclosure ledger, where staff record a legal disclosure."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from imas.privacy.models import ConsentRecord, Disclosure, DisclosureBasis, PolicyVersion


class PolicyVersionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = PolicyVersion
        fields = ("kind", "version", "effective_on", "change_summary", "text")

    def clean(self) -> dict[str, Any]:
        from imas.privacy.policies import policy_validate

        data = super().clean() or {}
        candidate = PolicyVersion(
            kind=data.get("kind") or "privacy_policy",
            text=data.get("text") or "",
            change_summary=data.get("change_summary") or "",
            effective_on=data.get("effective_on"),
        )
        try:
            policy_validate(candidate)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    self.add_error(field if field in self.fields else None, error)
        return data


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin[PolicyVersion]):
    """Write a version as a draft; the "Publish" action makes it public and tells everyone."""

    form = PolicyVersionForm
    list_display = ("version", "kind", "effective_on", "published_at", "text_hash")
    list_filter = ("kind",)
    readonly_fields = ("text_hash", "published_at")
    actions = ["publish"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.published_at is not None:
            # A published text is evidence: it never changes.
            return (
                "kind",
                "version",
                "effective_on",
                "change_summary",
                "text",
                "text_hash",
                "published_at",
            )
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: PolicyVersion, form: Any, change: bool) -> None:
        if not change:
            obj.published_at = None  # a draft until published
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.published_at is None

    @admin.action(description="Publish the selected drafts and email everyone")
    def publish(self, request: HttpRequest, queryset: QuerySet[PolicyVersion]) -> None:
        from imas.privacy.policies import policy_publish

        drafts = queryset.filter(published_at__isnull=True)
        if not drafts.exists():
            self.message_user(request, "Only drafts can be published.", messages.WARNING)
        for policy in drafts:
            try:
                policy_publish(policy=policy)
            except ValidationError as exc:
                self.message_user(request, f"{policy}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(
                    request, f"Published {policy}; everyone is being emailed.", messages.SUCCESS
                )


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin[ConsentRecord]):
    """Read-only: the record is evidence, so staff may look but never change it."""

    list_display = ("user", "purpose", "granted", "policy_version", "channel", "created_at")
    list_filter = ("purpose", "granted", "channel")
    search_fields = ("user__email",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DisclosureForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Disclosure
        fields = (
            "user",
            "recipient",
            "basis",
            "reference",
            "scope",
            "scope_parts",
            "not_told_reason",
        )

    def clean(self) -> dict[str, Any]:
        from imas.privacy.registry import all_parts

        data = super().clean() or {}
        if data.get("basis") == DisclosureBasis.LEGAL and not (data.get("reference") or "").strip():
            self.add_error("reference", "A legal disclosure needs the order's reference.")
        parts = data.get("scope_parts") or []
        if not isinstance(parts, list) or not all(isinstance(p, str) for p in parts):
            self.add_error("scope_parts", 'A list of part names, e.g. ["profile", "activities"].')
        else:
            unknown = sorted(set(parts) - set(all_parts()))
            if unknown:
                choices = ", ".join(all_parts())
                self.add_error(
                    "scope_parts", f"Unknown parts: {', '.join(unknown)}. Choose from {choices}."
                )
        return data


@admin.register(Disclosure)
class DisclosureAdmin(admin.ModelAdmin[Disclosure]):
    """Staff record a legal disclosure here; IMAS builds the scoped export for the recipient
    (linked on the row once built) and tells the person unless the row says why not."""

    form = DisclosureForm
    list_display = ("user", "recipient", "basis", "reference", "created_at", "person_told_at")
    list_filter = ("basis",)
    search_fields = ("user__email", "recipient", "reference")
    raw_id_fields = ("user",)
    readonly_fields = ("recorded_by_name", "created_at", "person_told_at", "export_file")

    @admin.display(description="scoped export for the recipient")
    def export_file(self, obj: Disclosure) -> str:
        from django.urls import reverse
        from django.utils.html import format_html

        job = obj.export
        if job is None:
            return "-"
        if job.status != "done" or not job.file_name:
            return f"{job.get_status_display()} ({job.progress} %)"
        url = reverse("admin:privacy_disclosure_export", args=[obj.pk])
        return str(format_html('<a href="{}">Download the export (zip)</a>', url))

    def get_urls(self) -> list[Any]:
        from django.urls import path

        own = [
            path(
                "<int:disclosure_id>/export/",
                self.admin_site.admin_view(self.export_download),
                name="privacy_disclosure_export",
            )
        ]
        return own + super().get_urls()

    def export_download(self, request: HttpRequest, disclosure_id: int) -> Any:
        """Staff fetch the scoped export they hand to the recipient of a legal disclosure."""
        from django.core.files.storage import default_storage
        from django.http import FileResponse, Http404

        row = Disclosure.objects.select_related("export").filter(pk=disclosure_id).first()
        if row is None or row.export is None or not row.export.file_name:
            raise Http404("no export for this disclosure")
        if not self.has_view_permission(request, row):
            raise Http404("no export for this disclosure")
        return FileResponse(
            default_storage.open(row.export.file_name, "rb"),
            as_attachment=True,
            filename=f"disclosure-{row.pk}-export.zip",
        )

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {"basis": DisclosureBasis.LEGAL}

    def save_model(self, request: HttpRequest, obj: Disclosure, form: Any, change: bool) -> None:
        from imas.privacy.disclosures import disclosure_record

        if change:
            return  # the ledger is written once; a correction is a new row
        try:
            saved = disclosure_record(
                user=obj.user,
                recipient=obj.recipient,
                basis=obj.basis,
                reference=obj.reference,
                scope=obj.scope,
                scope_parts=list(obj.scope_parts or []),
                not_told_reason=obj.not_told_reason,
                recorded_by=request.user,
                produce_export=obj.basis == DisclosureBasis.LEGAL,
            )
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        obj.pk = saved.pk

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
