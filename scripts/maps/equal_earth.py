"""The Equal Earth projection (Šavrič, Patterson, Jenny 2018) into the dashboard's map frame: 1000 units wide,
cut at 84°N and 56°S, coordinates rounded to 0.1. Shared by make-world-map.py and make-gazetteer.py, so that the
gazetteer's places fall on the outlines."""
import math

A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon, lat):
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


X_MAX, _ = equal_earth(180, 0)
_, Y_MAX = equal_earth(0, 90)
WIDTH = 1000.0
SCALE = WIDTH / (2 * X_MAX)
TOP = 84.0  # northernmost land kept (Greenland ~83.6N)
BOTTOM = -56.0  # southernmost kept (Tierra del Fuego)
Y_TOP = equal_earth(0, TOP)[1]
HEIGHT = (Y_TOP - equal_earth(0, BOTTOM)[1]) * SCALE


def project(lon, lat):
    x, y = equal_earth(lon, lat)
    return round((x + X_MAX) * SCALE, 1), round((Y_TOP - y) * SCALE, 1)


