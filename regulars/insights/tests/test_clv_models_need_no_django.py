"""regulars.insights.clv is a plain NumPy/SciPy library: importing and using it loads no Django
(checked in a fresh interpreter, as the test process itself has Django loaded)."""

import subprocess
import sys

SCRIPT = """
import sys
import numpy as np
from regulars.insights import clv
s = clv.summarize([1, 1, 2], [0.0, 3.0, 1.0], [5.0, 7.0, 9.0], observation_end=10.0)
clv.p_alive(clv.BGNBDFit(0.2, 4.0, 0.8, 2.4, 0.0, 0, True), s.frequency, s.recency, s.T)
print(sorted(m for m in sys.modules if m == "django" or m.startswith("django.")))
"""


def test_importing_and_using_the_models_loads_no_django():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True
    )

    assert done.stdout.strip() == "[]"
