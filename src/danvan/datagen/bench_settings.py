"""Settings for benchmark runs only: the real settings plus a bare hello-world URL (the
baseline the list pages are compared with). Never used by a deployment."""

from danvan.settings import *  # noqa: F403

ROOT_URLCONF = "danvan.datagen.bench_urls"
# The load client signs in once; the lock-out counter must not get in the way.
AXES_ENABLED = False
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
