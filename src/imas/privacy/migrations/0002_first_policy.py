"""Publishes the first privacy policy, so that there is a text to accept at sign-up.

The text lives in imas/privacy/first_policy.py and must never change: a consent record points
at this exact version and hash. A new policy is a new version.
"""

import hashlib

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.utils import timezone

from imas.privacy.first_policy import FIRST_POLICY_TEXT, FIRST_POLICY_VERSION


def publish(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    PolicyVersion = apps.get_model("privacy", "PolicyVersion")
    PolicyVersion.objects.create(
        version=FIRST_POLICY_VERSION,
        published_at=timezone.now(),
        text=FIRST_POLICY_TEXT,
        text_hash=hashlib.sha256(FIRST_POLICY_TEXT.encode("utf-8")).hexdigest(),
    )


def unpublish(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("privacy", "PolicyVersion").objects.filter(version=FIRST_POLICY_VERSION).delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]
    operations = [migrations.RunPython(publish, unpublish)]
