"""YAML the way every configuration file is read: safe, and with libyaml's C parser where it is installed
(the catalogue and the gazetteer are large; the pure-Python parser takes seconds over them)."""

from __future__ import annotations

import yaml

SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
