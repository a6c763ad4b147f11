"""``?lang=en`` (or ``zh-hans``) switches the language of a request, on top of Accept-Language."""
from django.conf import settings
from django.utils import translation

_CODES = {code.lower(): code for code, _label in settings.LANGUAGES} | {"zh": "zh-hans", "zh-cn": "zh-hans"}


class QueryLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = _CODES.get(request.GET.get("lang", "").strip().lower())
        if code:
            translation.activate(code)
            request.LANGUAGE_CODE = code
        return self.get_response(request)
