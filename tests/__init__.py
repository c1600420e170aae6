"""ketsugo's tests: a package, so that test modules share helpers (``from tests.conftest import …``).

Byte code is written as usual (__pycache__ is ignored by git): with PYTHONDONTWRITEBYTECODE set (some
shells and containers set it) every run would compile every module and rewrite every test module's
asserts again, ≈ 7 s of CPU in each xdist worker, and each CLI subprocess would compile the ketsugo
modules it imports. It is set here, the first of the tests' code Python runs (pytest imports this
package before tests/conftest.py): conftest imports hypothesis, the package of a pytest plugin, so
pytest rewrites the asserts of each of its ≈ 75 modules as it imports them, and keeps the result
only when byte code may be written (≈ 2 s of CPU in every process otherwise).
"""

import sys

sys.dont_write_bytecode = False
