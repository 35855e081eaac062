"""`python -m zhibu …`: the same as the `zhibu` console script (manage.py)."""
from zhibu.manage import main

main()
