# Runs the pandas peer script UNCHANGED, with one library call restored to its pandas >= 2.0 behaviour: from
# pandas 2.0, groupby().nth(n) is a filter that keeps the original (date) index, which the peer relies on
# (first7.index.year); before 2.0 it returned the group keys and the peer fails. The shim selects the same rows
# (position n within each group) the way pandas 2 does; nothing else is touched, and on pandas >= 2 it does nothing.
#
#   python3 peer-nth-shim.py PEER_SCRIPT [PEER ARGS...]
#
# See src/bench/peer.ts (runPeer) and docs/bench.md. `npm run build` copies this file to dist/bench/.
import runpy, sys
import pandas as pd
from pandas.core.groupby.generic import DataFrameGroupBy
if int(pd.__version__.split('.')[0]) < 2:
    def _nth(self, n, dropna=None):
        return self._selected_obj[(self.cumcount() == n).to_numpy()]
    DataFrameGroupBy.nth = _nth
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name='__main__')
