complete --keep-order --exclusive --command gtx --arguments "(COMPLETE=fish gtx -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"
