"""The models (spaCy's English pipeline, pymorphy3's Russian dictionary, py3langid's
language model) ship inside their packages: extraction runs with the network cut."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).parents[3] / "src"
SCRIPT = """
import socket
def refuse(*args, **kwargs):
    raise OSError("network disabled for this test")
socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from datetime import date
from truce.ingest.text import extract
en = extract("Azerbaijani forces shelled Stepanakert on Friday, the Armenian Defence Ministry said.",
             date(2020, 10, 3))
ru = extract("Армянские вооруженные силы обстреляли Тертер в среду, сообщило Минобороны Азербайджана.",
             date(2020, 10, 28))
print(en.language, en.events[0].perpetrator, ru.language, ru.events[0].perpetrator)
"""


def test_extraction_loads_every_model_with_the_network_cut():
    env = {**os.environ, "PYTHONPATH": str(SRC), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["en", "AZE", "ru", "ARM"]
