"""The public form's limits: one recording per displayed form, bounded texts, a rate limit
per real client counted in the shared cache, and a confirmation e-mail of fixed text."""

import multiprocessing
import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from crm.intake import antiabuse
from crm.intake.forms.registration import RegistrationForm
from crm.models import Project, Registration
from tests.crm.test_registration import URL, answers, fresh_rate_limit, token  # noqa: F401

pytestmark = pytest.mark.django_db
MEGABYTES = "x" * 2_000_000
# Fields the view checks before the form: the honeypot and the start token.
ANTI_ABUSE_FIELDS = {"website", "started"}
TEXT_FIELDS = [
    name
    for name, field in RegistrationForm.base_fields.items()
    if hasattr(field, "max_length") and name not in ANTI_ABUSE_FIELDS
]


# --- Single-use start token -------------------------------------------------------------------


def test_a_form_is_recorded_once_and_a_second_send_is_told_so(client, settings):
    settings.REGISTRATION_NOTIFY_EMAILS = ["ess@territoire.fr"]
    data = answers()
    assert client.post(URL, data).status_code == 302
    again = client.post(URL, data)
    assert again.status_code == 409
    assert "Ce formulaire a déjà été envoyé" in again.content.decode()
    assert Project.objects.count() == 1 and len(mail.outbox) == 2
    # The page offers a fresh form for another request, which works.
    settings.REGISTRATION_MIN_SECONDS = 0
    fresh = again.context["form"]["started"].value()
    assert client.post(URL, answers(started=fresh, project_name="Autre")).status_code == 302
    assert Project.objects.count() == 2


def test_a_token_corrected_after_errors_still_records_once(client):
    data = answers(project_name="")
    assert client.post(URL, data).status_code == 200  # errors next to the fields
    data["project_name"] = "Recyclerie du Mont-Mesly"
    assert client.post(URL, data).status_code == 302
    assert client.post(URL, data).status_code == 409
    assert Project.objects.count() == 1


def test_a_refusal_by_the_service_gives_the_token_back(client, monkeypatch):
    from crm.intake.services import registration as services

    def refuse(**kwargs):
        raise ValidationError({"organisation_name": "Indiquez le nom de la structure."})

    data = answers()
    monkeypatch.setattr(services, "registration_submit", refuse)
    assert client.post(URL, data).status_code == 200
    monkeypatch.undo()
    assert client.post(URL, data).status_code == 302


def test_only_one_of_two_simultaneous_uses_of_a_token_wins():
    parsed = antiabuse.read_token(token())
    assert antiabuse.consume_token(parsed) is True
    assert antiabuse.consume_token(parsed) is False


def test_a_token_of_the_old_kind_is_refused_as_forged(client, caplog):
    from django.core import signing

    client.post(URL, answers(started=signing.dumps(time.time() - 60, salt=antiabuse.TOKEN_SALT)))
    assert not Project.objects.exists()
    assert "Registration refused (bad_token)" in caplog.text


# --- Bounded texts ----------------------------------------------------------------------------


def test_every_text_field_of_the_form_is_bounded():
    unbounded = [
        name
        for name, field in RegistrationForm.base_fields.items()
        if hasattr(field, "max_length") and not field.max_length
    ]
    assert unbounded == []


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_megabytes_in_a_field_are_refused_naming_the_field(client, field):
    response = client.post(URL, answers(**{field: MEGABYTES}))
    assert response.status_code == 200
    label = RegistrationForm.base_fields[field].label
    limit = RegistrationForm.base_fields[field].max_length
    errors = response.context["form"].errors[field]
    assert f"« {label} » : {limit} caractères au plus (ce texte en compte 2000000)." in errors
    assert not Project.objects.exists() and not mail.outbox


@pytest.mark.parametrize(
    "model, field",
    [
        (Project, "summary"),
        (Project, "social_impact"),
        (Project, "environmental_impact"),
        (Registration, "help_sought"),
    ],
)
def test_the_models_refuse_texts_over_their_bound(model, field):
    limit = model._meta.get_field(field).max_length
    with pytest.raises(ValidationError) as refused:
        model(**{field: "x" * (limit + 1)}).clean_fields()
    assert field in refused.value.message_dict


# --- Rate limit per real client, in the shared cache ------------------------------------------


def _send(network, client_ip, n, *, forged=None):
    return Client().post(
        URL,
        answers(email=f"porteur{n}@exemple.fr", project_name=f"Projet {n}"),
        **network.meta(client_ip, forged=forged),
    )


@pytest.fixture(params=["locmem", pytest.param("redis", marks=pytest.mark.redis)])
def cache_backend(request):
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    return request.param


def test_distinct_clients_get_distinct_buckets_and_forging_gets_none(
    settings, network, cache_backend
):
    settings.REGISTRATION_RATE_LIMIT = 1
    assert _send(network, "203.0.113.7", 1).status_code == 302
    assert _send(network, "198.51.100.4", 2).status_code == 302
    # The first client again, claiming to be someone else: its bucket is full.
    refused = _send(network, "203.0.113.7", 3, forged="192.0.2.50")
    assert "pas pu être enregistrée" in refused.content.decode()
    assert Project.objects.count() == 2


def _count_in_a_worker(address: str, times: int, start, results) -> None:
    # A separate process, as a gunicorn worker is: its own cache connection (and memory).
    from django.core.cache import caches

    caches.close_all()
    start.wait(timeout=10)  # both workers count at the same moment
    results.put([antiabuse.count_attempt(address) for _ in range(times)])


def _count_in_two_workers(address: str, times: int) -> list[int]:
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(2), context.Queue()
    workers = [
        context.Process(target=_count_in_a_worker, args=(address, times, start, results))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    counts = [results.get(timeout=30) for _ in workers]
    for worker in workers:
        worker.join(timeout=10)
    return sorted(count for worker_counts in counts for count in worker_counts)


@pytest.mark.redis
def test_two_workers_count_in_one_bucket_on_redis(redis_cache):
    assert _count_in_two_workers("203.0.113.7", 20) == list(range(1, 41))


def test_two_workers_count_apart_in_local_memory():
    # Why CACHE_URL=redis:// is needed past one process: each worker counts alone.
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ):
        cache.clear()
        assert _count_in_two_workers("203.0.113.7", 5) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


@pytest.mark.redis
def test_a_window_restarts_after_its_timeout_on_redis(redis_cache, settings):
    settings.REGISTRATION_RATE_WINDOW = 1
    assert [antiabuse.count_attempt("203.0.113.7") for _ in range(3)] == [1, 2, 3]
    key = cache.make_key(antiabuse.rate_key("203.0.113.7"))
    ttl = cache._cache.get_client(key).ttl(key)
    assert 0 < ttl <= 1
    time.sleep(1.2)
    assert antiabuse.count_attempt("203.0.113.7") == 1


# --- The confirmation e-mail ------------------------------------------------------------------


def test_the_confirmation_is_the_same_fixed_text_whatever_was_typed(client, settings):
    settings.REGISTRATION_NOTIFY_EMAILS = ["ess@territoire.fr"]
    client.post(URL, answers())
    client.post(
        URL,
        answers(
            first_name="Gagnez",
            last_name="1000 euros",
            email="victime@exemple.fr",
            project_name="Cliquez sur http://arnaque.example",
            description="Votre compte est bloqué, écrivez à arnaque@example.com",
        ),
    )
    first, _, second, _ = mail.outbox
    assert (first.subject, first.body) == (second.subject, second.body)
    assert "arnaque" not in second.body and "Gagnez" not in second.body
    assert "dpo@" in second.body
