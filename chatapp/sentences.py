"""Where a sentence ends, for every part of CareChat that cuts text into sentences.

The streaming filters (safety.scope), the plain-language edits (literacy.plain)
and the prompt's clipped passages (assistant) must cut at the same places, or a
sentence checked one way is shown another.
"""

from __future__ import annotations

import re

# After . ! ? followed by a space or a line end, or after 。！？ or a line break.
SENTENCE_END = re.compile(r"(?<=[.!?])(?=\s)|(?<=[。！？\n])")
