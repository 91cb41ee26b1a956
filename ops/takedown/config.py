"""Who asks for takedowns, where each platform takes reports, and which site is whose.

The configuration is a YAML file beside ``sources.yaml``, for the same reason: it describes
the deployment (the team's identity, the addresses agreed with each platform, the extra sites
watched), it is reviewed and versioned with the sources, and it holds no secret. Found at
``--config FILE``, else ``$HEISHI_TAKEDOWN_CONFIG``, else ``./takedown.yaml``, else the
project's own file (a source checkout). Errors name the file and the key.

The three platforms the issue names are built in (:data:`BUILT_IN`: their hosts, the names of
their terms, the language they read); the file adds a report address, overrides any of
those, or adds another platform for any other site.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from ops.errors import UsageError

CONFIG_ENV = "HEISHI_TAKEDOWN_CONFIG"
DEFAULT_CONFIG = "takedown.yaml"
LANGUAGES = ("zh", "en")
_ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+$")
_PLATFORM_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass
class Platform:
    """A host platform: where content lives and who can take it down."""

    id: str
    name: dict[str, str]  # per language
    hosts: list[str]  # host names (a suffix matches subdomains) or host:port
    terms: dict[str, str]  # the platform's own rules, per language, as the request cites them
    language: str = "zh"  # the language of the request's first half
    report_to: str | None = None
    sources: list[str] = field(default_factory=list)  # sources whose posts have no URL


BUILT_IN: dict[str, dict] = {
    "telegram": {
        "name": {"zh": "Telegram（电报）", "en": "Telegram"},
        "hosts": ["t.me", "telegram.me", "telegram.dog"],
        "terms": {
            "zh": "《Telegram 服务条款》（禁止在公开可见的频道和机器人中推广非法内容、诈骗）",
            "en": "the Telegram Terms of Service (no scams and no promotion of illegal content "
                  "on publicly viewable channels and bots)",
        },
        "language": "en",
        "report_to": "abuse@telegram.org",
    },
    "tencent": {
        "name": {"zh": "腾讯（QQ、微信）", "en": "Tencent (QQ, WeChat)"},
        "hosts": ["qq.com", "weixin.qq.com", "wechat.com", "tencent.com"],
        "terms": {
            "zh": "《腾讯服务协议》《QQ号码规则》《微信个人账号使用规范》",
            "en": "the Tencent Service Agreement, the QQ Number Rules and the WeChat Personal "
                  "Account Usage Rules",
        },
        "language": "zh",
    },
    "alibaba": {
        "name": {"zh": "阿里巴巴（闲鱼、淘宝）", "en": "Alibaba (Goofish, Taobao)"},
        "hosts": ["goofish.com", "taobao.com", "tmall.com", "xianyu.com", "2.taobao.com"],
        "terms": {
            "zh": "《淘宝平台服务协议》《淘宝网市场管理与违规处理规范》《闲鱼社区规范》",
            "en": "the Taobao Platform Service Agreement, the Taobao Market Management and "
                  "Violation Handling Rules and the Goofish Community Rules",
        },
        "language": "zh",
    },
}


@dataclass
class Requester:
    name: str
    organisation: str
    email: str
    phone: str | None = None
    address: str | None = None
    role: str | None = None


@dataclass
class TakedownConfig:
    requester: Requester | None
    platforms: dict[str, Platform]
    path: Path | None = None

    def need_requester(self) -> Requester:
        if self.requester is None:
            raise UsageError(f"{self.where}: requester: who asks is not configured "
                             "(name, organisation, email)")
        return self.requester

    @property
    def where(self) -> str:
        return str(self.path) if self.path else "takedown configuration"

    def platform_of(self, url: str | None, source: str | None = None) -> Platform | None:
        """The platform hosting a post: by its URL's host (the longest configured match wins,
        host:port before host), else by its source."""
        if url:
            parts = urlsplit(url if "//" in url else f"//{url}")
            host = (parts.hostname or "").lower().rstrip(".")
            netloc = f"{host}:{parts.port}" if parts.port else host
            best: tuple[int, Platform] | None = None
            for platform in self.platforms.values():
                for pattern in platform.hosts:
                    pattern = pattern.lower()
                    if ":" in pattern:
                        hit = netloc == pattern
                    else:
                        hit = host == pattern or host.endswith("." + pattern)
                    score = len(pattern) + (1000 if ":" in pattern else 0)
                    if hit and (best is None or score > best[0]):
                        best = (score, platform)
            if best is not None:
                return best[1]
        if source:
            for platform in self.platforms.values():
                if source in platform.sources:
                    return platform
        return None


def config_path(path: str | os.PathLike | None = None) -> Path:
    """``path``, else ``$HEISHI_TAKEDOWN_CONFIG``, else ``./takedown.yaml``, else the
    project's own file in a source checkout."""
    if path or os.environ.get(CONFIG_ENV):
        return Path(path or os.environ[CONFIG_ENV])
    here = Path(DEFAULT_CONFIG)
    shipped = Path(__file__).resolve().parents[2] / DEFAULT_CONFIG
    return shipped if not here.exists() and shipped.exists() else here


def load_config(path: str | os.PathLike | None = None, *, required: bool = True
                ) -> TakedownConfig:
    """The configuration; without a file, the built-in platforms and no requester (enough
    to verify cases, not to draft them) unless ``required``."""
    where = config_path(path)
    if not where.exists():
        if required:
            raise UsageError(
                f"{where}: no takedown configuration there; write one (see README, "
                f"'Takedown requests') or name it with --config or ${CONFIG_ENV}"
            )
        return TakedownConfig(None, _platforms({}, where), None)
    try:
        data = yaml.safe_load(where.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{where}: cannot read: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise UsageError(f"{where}{line}: not valid YAML: {getattr(exc, 'problem', exc)}"
                         ) from None
    if not isinstance(data, dict):
        raise UsageError(f"{where}: expected a mapping with requester and platforms")
    unknown = sorted(set(data) - {"requester", "platforms"})
    if unknown:
        raise UsageError(f"{where}: {unknown[0]}: unknown key (requester, platforms)")
    requester = _requester(data.get("requester"), where) if data.get("requester") else None
    return TakedownConfig(requester, _platforms(data.get("platforms") or {}, where), where)


def _requester(data, where: Path) -> Requester:
    if not isinstance(data, dict):
        raise UsageError(f"{where}: requester: expected a mapping")
    fields = set(Requester.__dataclass_fields__)
    unknown = sorted(set(data) - fields)
    if unknown:
        raise UsageError(f"{where}: requester.{unknown[0]}: unknown key ({', '.join(fields)})")
    for key in ("name", "organisation", "email"):
        if not str(data.get(key) or "").strip():
            raise UsageError(f"{where}: requester.{key}: required")
    if not _ADDRESS.match(str(data["email"])):
        raise UsageError(f"{where}: requester.email: {data['email']!r} is not an address")
    return Requester(**{key: str(value) for key, value in data.items() if value is not None})


def _platforms(data, where: Path) -> dict[str, Platform]:
    if not isinstance(data, dict):
        raise UsageError(f"{where}: platforms: expected a mapping of platform id to settings")
    merged = {id: dict(values) for id, values in BUILT_IN.items()}
    allowed = set(Platform.__dataclass_fields__) - {"id"}
    for id, values in data.items():
        at = f"{where}: platforms.{id}"
        if not isinstance(id, str) or not _PLATFORM_ID.match(id):
            raise UsageError(f"{at}: a platform id is lower-case letters, digits, '-' or '_'")
        if not isinstance(values, dict):
            raise UsageError(f"{at}: expected a mapping")
        unknown = sorted(set(values) - allowed)
        if unknown:
            raise UsageError(f"{at}.{unknown[0]}: unknown key ({', '.join(sorted(allowed))})")
        base = merged.setdefault(id, {})
        for key, value in values.items():
            if key in ("name", "terms") and isinstance(value, str):
                value = {language: value for language in LANGUAGES}
            if key in ("hosts", "sources") and isinstance(value, str):
                value = [value]
            base[key] = value
    platforms = {}
    for id, values in merged.items():
        at = f"{where}: platforms.{id}"
        for key in ("name", "terms"):
            value = values.get(key)
            if not isinstance(value, dict) or any(not value.get(lang) for lang in LANGUAGES):
                raise UsageError(f"{at}.{key}: required, in zh and en (or one text for both)")
        if not values.get("hosts") and not values.get("sources"):
            raise UsageError(f"{at}.hosts: name the sites (or sources) this platform hosts")
        if values.get("language", "zh") not in LANGUAGES:
            raise UsageError(f"{at}.language: one of {', '.join(LANGUAGES)}")
        report_to = values.get("report_to")
        if report_to is not None and not _ADDRESS.match(str(report_to)):
            raise UsageError(f"{at}.report_to: {report_to!r} is not an address")
        platforms[id] = Platform(
            id=id,
            name={k: str(v) for k, v in values["name"].items()},
            hosts=[str(h) for h in values.get("hosts") or []],
            terms={k: str(v) for k, v in values["terms"].items()},
            language=values.get("language", "zh"),
            report_to=str(report_to) if report_to else None,
            sources=[str(s) for s in values.get("sources") or []],
        )
    return platforms
