"""Map tiles fetched through IMAS and cached on disk, so that browsers never meet a tile host."""
