"""Publishes the first privacy policy, so that there is a text to accept at sign-up.

The text is part of the migration on purpose: a consent record points at this exact version
and hash, and neither may change afterwards. A new policy is a new version.
"""

import hashlib

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.utils import timezone

POLICY_V1 = """# Privacy policy

IMAS is software that the operator of this server runs for you. This page says what it keeps
about you, why, and what you can do about it.

## What we keep
- **Your account:** email address, name, and a password hash (Argon2; we never know your
  password).
- **Your profile:** birthday, height, weight, gender, main activity, units, time zone, and, if
  you give them, resting and maximum heart rate.
- **Your activities:** the files you upload or import, and what IMAS calculates from them
  (distance, times, elevation, heart rate, power, location track).
- **Security records:** which browsers have signed in to your account (a fingerprint of the
  browser name, not your address), personal access tokens (stored only as a hash), and your
  choices about consent, with date and policy version.

## Why
- To run the service you asked for: store your activities and show you their analysis.
- **Body data** (birthday, height, weight, gender) is used in calculations such as calories
  and heart-rate zones **only if you consent**. Without consent these values are stored (so you
  can see and edit them) but never used. You can give or withdraw consent at any time on your
  profile; each decision is recorded.
- To keep your account safe: we email you when your password, email address or second factor
  changes, and when someone signs in from a new browser.

## Who sees it
Activities are private unless you choose otherwise. Nothing is sent to third parties unless you
connect a service yourself; every such disclosure is recorded. Pages load nothing from other
websites, so no one else learns that you use IMAS.

## Your rights
You can see and correct your data on your profile, download all of it, and delete your account
with everything in it. Ask the operator of this server if anything is unclear.

## Changes
When this policy changes, you will be asked to accept the new version. The version you accepted
and its fingerprint stay on record.
"""


def publish(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    PolicyVersion = apps.get_model("privacy", "PolicyVersion")
    PolicyVersion.objects.create(
        version="1",
        published_at=timezone.now(),
        text=POLICY_V1,
        text_hash=hashlib.sha256(POLICY_V1.encode("utf-8")).hexdigest(),
    )


def unpublish(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("privacy", "PolicyVersion").objects.filter(version="1").delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]
    operations = [migrations.RunPython(publish, unpublish)]
