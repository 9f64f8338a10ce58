"""Files in S3-compatible storage, against a local server that speaks the S3 protocol.

moto's server mode is a real HTTP server on 127.0.0.1: boto3 (through django-storages) signs
and sends the same requests it would send to AWS, MinIO or Ceph. The storage settings are
built by `default_storage_from_env` from the same variables an operator sets, and one test
runs a second IMAS process configured only through those variables, as another machine would.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from moto.server import ThreadedMotoServer

from imas.accounts.models import User
from imas.activities.models import Activity
from imas.core.storage_settings import LOCAL_BACKEND, S3_BACKEND, default_storage_from_env
from tests.activities.conftest import bearer_client
from tests.activities.files import gpx_run

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "imas/test"
KEY_ID = "imas-test-key"
SECRET = "imas-test-secret"  # moto accepts any key; a real server checks the signature


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """A moto S3 server on a free port of 127.0.0.1 (port 0: the kernel picks one)."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@dataclass
class Bucket:
    name: str
    env: dict[str, str]  # the IMAS_S3_* variables that point IMAS at it
    client: Any  # a boto3 S3 client of our own, to look inside

    def object_keys(self) -> list[str]:
        answer = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in answer.get("Contents", []))

    def body(self, key: str) -> bytes:
        data: bytes = self.client.get_object(Bucket=self.name, Key=key)["Body"].read()
        return data


@pytest.fixture
def bucket(s3_endpoint: str, settings: Any) -> Bucket:
    """A fresh bucket per test, made the default storage through the operator's variables."""
    name = f"imas-{uuid.uuid4().hex[:12]}"
    env = {
        "IMAS_S3_BUCKET": name,
        "IMAS_S3_ENDPOINT_URL": s3_endpoint,
        "IMAS_S3_REGION": "us-east-1",
        "IMAS_S3_ACCESS_KEY_ID": KEY_ID,
        "IMAS_S3_SECRET_ACCESS_KEY": SECRET,
        "IMAS_S3_PREFIX": PREFIX,
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEY_ID,
        aws_secret_access_key=SECRET,
    )
    client.create_bucket(Bucket=name)
    # Django's setting_changed handler drops the cached storages, so the next use builds S3.
    settings.STORAGES = {**settings.STORAGES, "default": default_storage_from_env(env)}
    return Bucket(name=name, env=env, client=client)


def original_key(data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    return f"{PREFIX}/originals/{sha[:2]}/{sha[2:4]}/{sha}"


def upload(client: Client, data: bytes, filename: str = "run.gpx") -> Any:
    handle = io.BytesIO(data)
    handle.name = filename
    return client.post("/api/v1/activities", data={"file": handle})


# --- the operator's variables ------------------------------------------------------------------


def test_without_a_bucket_files_stay_in_the_local_folder() -> None:
    assert default_storage_from_env({}) == {"BACKEND": LOCAL_BACKEND}
    assert default_storage_from_env({"IMAS_S3_BUCKET": "  "}) == {"BACKEND": LOCAL_BACKEND}


def test_a_bucket_turns_on_s3_with_every_option() -> None:
    config = default_storage_from_env(
        {
            "IMAS_S3_BUCKET": "imas-files",
            "IMAS_S3_ENDPOINT_URL": "https://minio.internal:9000",
            "IMAS_S3_REGION": "eu-central-1",
            "IMAS_S3_ACCESS_KEY_ID": "AKIDEXAMPLE",
            "IMAS_S3_SECRET_ACCESS_KEY": "wJalrXUtnFEMI",
            "IMAS_S3_PREFIX": "/imas/prod/",
            "IMAS_S3_ADDRESSING_STYLE": "Path",
        }
    )
    assert config["BACKEND"] == S3_BACKEND
    options = config["OPTIONS"]
    assert options["bucket_name"] == "imas-files"
    assert options["endpoint_url"] == "https://minio.internal:9000"
    assert options["region_name"] == "eu-central-1"
    assert (options["access_key"], options["secret_key"]) == ("AKIDEXAMPLE", "wJalrXUtnFEMI")
    assert options["location"] == "imas/prod"
    assert options["addressing_style"] == "path"
    assert options["default_acl"] is None  # the bucket's own (private) policy applies


def test_without_keys_boto3_finds_its_own_credentials() -> None:
    options = default_storage_from_env({"IMAS_S3_BUCKET": "imas-files"})["OPTIONS"]
    assert "access_key" not in options
    assert "secret_key" not in options
    assert "endpoint_url" not in options  # AWS itself


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"IMAS_S3_BUCKET": "a"}, "IMAS_S3_BUCKET"),
        ({"IMAS_S3_BUCKET": "my bucket"}, "IMAS_S3_BUCKET"),
        ({"IMAS_S3_BUCKET": "bucket/with/slash"}, "IMAS_S3_BUCKET"),
        ({"IMAS_S3_BUCKET": "b" * 64}, "IMAS_S3_BUCKET"),
        ({"IMAS_S3_BUCKET": "ok-bucket", "IMAS_S3_ENDPOINT_URL": "minio:9000"}, "ENDPOINT"),
        ({"IMAS_S3_BUCKET": "ok-bucket", "IMAS_S3_ENDPOINT_URL": "ftp://x.org"}, "ENDPOINT"),
        ({"IMAS_S3_BUCKET": "ok-bucket", "IMAS_S3_ENDPOINT_URL": "https://"}, "ENDPOINT"),
        ({"IMAS_S3_BUCKET": "ok-bucket", "IMAS_S3_ACCESS_KEY_ID": "AKID"}, "SECRET_ACCESS_KEY"),
        ({"IMAS_S3_BUCKET": "ok-bucket", "IMAS_S3_SECRET_ACCESS_KEY": "s"}, "ACCESS_KEY_ID"),
        ({"IMAS_S3_BUCKET": "ok-bucket", "IMAS_S3_ADDRESSING_STYLE": "dns"}, "ADDRESSING"),
        ({"IMAS_S3_BUCKET": "ok-bucket", "IMAS_S3_PREFIX": "a/../b"}, "IMAS_S3_PREFIX"),
        ({"IMAS_S3_BUCKET": "ok-bucket", "IMAS_S3_PREFIX": "a//b"}, "IMAS_S3_PREFIX"),
    ],
)
def test_a_wrong_value_stops_imas_naming_the_variable(env: dict[str, str], named: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=named):
        default_storage_from_env(env)


def test_the_secret_never_appears_in_an_error() -> None:
    with pytest.raises(ImproperlyConfigured) as raised:
        default_storage_from_env(
            {"IMAS_S3_BUCKET": "ok-bucket", "IMAS_S3_SECRET_ACCESS_KEY": "very-secret-value"}
        )
    assert "very-secret-value" not in str(raised.value)


# --- uploads, downloads, deletions through the real API ----------------------------------------


def test_an_upload_lands_in_the_bucket_content_addressed_and_comes_back(
    bucket: Bucket,
    alice: User,
    imas_data_dir: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    api = bearer_client(alice)
    data = gpx_run(900, seed=11)
    response = upload(api, data)
    assert response.status_code == 201, response.content[:300]
    activity_id = response.json()["id"]

    key = original_key(data)
    assert bucket.object_keys() == [key]
    assert bucket.body(key) == data
    assert Activity.objects.get(pk=activity_id).original_sha256 == key.rsplit("/", 1)[1]
    assert not (imas_data_dir / "media" / "originals").exists()  # nothing went to the local folder

    download = api.get(f"/api/v1/activities/{activity_id}/original")
    assert download.status_code == 200
    assert download.content == data
    assert "attachment" in download["Content-Disposition"]

    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(f"/api/v1/activities/{activity_id}").status_code == 204
    assert bucket.object_keys() == []
    assert api.get(f"/api/v1/activities/{activity_id}/original").status_code == 404


def test_the_same_file_twice_is_one_object(
    bucket: Bucket,
    alice: User,
    bob: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    alice_api, bob_api = bearer_client(alice), bearer_client(bob)
    data = gpx_run(600, seed=12)
    first = upload(alice_api, data)
    again = upload(alice_api, data, filename="renamed.gpx")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    theirs = upload(bob_api, data)  # someone else with the same file gets their own activity
    assert theirs.status_code == 201
    assert theirs.json()["id"] != first.json()["id"]
    assert bucket.object_keys() == [original_key(data)]

    # The object stays while any activity refers to it, and goes with the last one.
    with django_capture_on_commit_callbacks(execute=True):
        assert alice_api.delete(f"/api/v1/activities/{first.json()['id']}").status_code == 204
    assert bucket.object_keys() == [original_key(data)]
    assert bob_api.get(f"/api/v1/activities/{theirs.json()['id']}/original").content == data
    with django_capture_on_commit_callbacks(execute=True):
        assert bob_api.delete(f"/api/v1/activities/{theirs.json()['id']}").status_code == 204
    assert bucket.object_keys() == []


def test_an_original_missing_from_the_bucket_is_a_clean_404(bucket: Bucket, alice: User) -> None:
    api = bearer_client(alice)
    data = gpx_run(300, seed=13)
    activity_id = upload(api, data).json()["id"]
    bucket.client.delete_object(Bucket=bucket.name, Key=original_key(data))
    response = api.get(f"/api/v1/activities/{activity_id}/original")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_personal_data_export_is_written_to_and_read_from_the_bucket(
    bucket: Bucket,
    alice: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    api = bearer_client(alice)
    data = gpx_run(600, seed=14)
    assert upload(api, data).status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        asked = api.post("/api/v1/privacy/exports")
    assert asked.status_code == 202
    status = api.get(f"/api/v1/privacy/exports/{asked.json()['id']}").json()
    assert status["status"] == "done", status

    exports = [key for key in bucket.object_keys() if key.startswith(f"{PREFIX}/exports/")]
    assert len(exports) == 1
    download = api.get(status["download"])
    assert download.status_code == 200
    body = download.getvalue()
    assert body == bucket.body(exports[0])
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        # The export carries the original, read back from the bucket.
        assert data in [archive.read(name) for name in archive.namelist()]


def test_another_imas_process_sees_the_same_files_through_the_variables_alone(
    bucket: Bucket, alice: User, tmp_path: Path
) -> None:
    """What a second web or worker machine does: start from the environment, read the file."""
    data = gpx_run(300, seed=15)
    assert upload(bearer_client(alice), data).status_code == 201
    sha = hashlib.sha256(data).hexdigest()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IMAS_", "AWS_"))}
    env |= bucket.env | {"IMAS_DATA_DIR": str(tmp_path / "other-machine"), "PYTHONPATH": str(ROOT)}
    env["DJANGO_SETTINGS_MODULE"] = "imas.settings"
    script = (
        "import hashlib\n"
        "from django.core.files.storage import storages\n"
        "from imas.activities import storage\n"
        "print(type(storages['default']).__name__)\n"
        f"print(hashlib.sha256(storage.blob_read(storage.ORIGINALS, {sha!r})).hexdigest())\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "imas.cli", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-2:] == ["S3Storage", sha]  # after the shell's own notice
    assert not (tmp_path / "other-machine" / "media").exists()
