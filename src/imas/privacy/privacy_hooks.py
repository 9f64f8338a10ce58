"""The privacy app's own part of export and erasure: consents, disclosures, exports, mailings."""

from __future__ import annotations

from typing import Any

from imas.privacy.registry import ExportWriter, model_rows, register


def export(user: Any, writer: ExportWriter) -> None:
    from imas.privacy.models import ConsentRecord, Disclosure

    if writer.wants("consents"):
        consents = ConsentRecord.objects.filter(user=user).order_by("created_at", "id")
        writer.json(
            "consents.json",
            [
                {
                    "purpose": c.purpose,
                    "granted": c.granted,
                    "policy_version": c.policy_version.version,
                    "policy_kind": c.policy_version.kind,
                    "text_hash": c.text_hash,
                    "channel": c.channel,
                    "created_at": c.created_at,
                }
                for c in consents.select_related("policy_version")
            ],
        )
    if writer.wants("disclosures"):
        writer.json(
            "disclosures.json",
            model_rows(
                Disclosure.objects.filter(user=user).order_by("created_at", "id"),
                exclude=("user", "recorded_by", "export"),
            ),
        )


def erase(user: Any) -> None:
    from imas.privacy.exports import export_file_delete
    from imas.privacy.models import Disclosure, ExportJob, PolicyMailing

    for job in ExportJob.objects.filter(user=user):
        export_file_delete(job)
    Disclosure.objects.filter(user=user).update(export=None)
    ExportJob.objects.filter(user=user).delete()
    Disclosure.objects.filter(user=user).delete()
    PolicyMailing.objects.filter(user=user).delete()
    # Consent rows go with the user row (cascade), which the ledger's guard lets through.


register("privacy", parts=("consents", "disclosures"), exporter=export, eraser=erase)
