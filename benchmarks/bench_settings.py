"""Settings for the API benchmark: the project's, plus a bare JsonResponse view to compare with."""

from config.settings import *  # noqa: F401,F403

ROOT_URLCONF = "benchmarks.bench_urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
REGISTRY_ANON_RATE = "100000000/min"
