"""The Zócalo (Plaza de la Constitución), Mexico City, with ideas in Spanish and English."""
from __future__ import annotations

SLUG = "zocalo-cdmx"
NAME = "Zócalo — Plaza de la Constitución"
DESCRIPTION = (
    "¿Qué mejorarías del Zócalo? Propón ideas, ubícalas en el mapa y vota por las que más "
    "importan. / What would make Mexico City's main square better? Propose ideas, pin them "
    "on the map and vote for the ones that matter most."
)
CENTER = (19.43263, -99.13321)
ZOOM = 17
# The open square between the Cathedral (north), the National Palace (east), the Old City
# Hall (south) and the Portal de Mercaderes (west): NW, NE, SE, SW corners as [lng, lat].
CORNERS = ((-99.13436, 19.43372), (-99.13208, 19.43380), (-99.13203, 19.43155), (-99.13431, 19.43147))
BOUNDARY = {"type": "Polygon", "coordinates": [[list(c) for c in (*CORNERS, CORNERS[0])]]}
NAME_IN_SENTENCE = {"es": "el Zócalo", "en": "the Zócalo"}
# (name, u, v) as for IDEAS below: the places a resident can choose instead of the map.
LANDMARKS: tuple[tuple[str, float, float], ...] = (
    ("Asta bandera (centro)", 0.5, 0.5),
    ("Frente a la Catedral", 0.5, 0.06),
    ("Frente al Palacio Nacional", 0.94, 0.5),
    ("Portal de Mercaderes", 0.06, 0.5),
    ("Frente al Antiguo Palacio del Ayuntamiento", 0.5, 0.94),
)

# (title, body, category, u, v): u runs west → east, v north → south across the square.
IDEAS: tuple[tuple[str, str, str, float, float], ...] = (
    ("Árboles de sombra en el costado poniente", "Plantar una hilera de árboles nativos (ahuehuetes o fresnos) frente al Portal de Mercaderes para dar sombra en las tardes de calor.", "greenery", 0.08, 0.50),
    ("Bancas con respaldo bajo sombra", "Instalar bancas con respaldo y descansabrazos para personas mayores, agrupadas bajo pérgolas ligeras que se puedan retirar en eventos masivos.", "seating & shade", 0.30, 0.35),
    ("Bebederos de agua potable", "Colocar bebederos gratuitos con agua potable en las cuatro esquinas de la plaza, con llave para rellenar botellas.", "other", 0.05, 0.05),
    ("Iluminación cálida y peatonal", "Cambiar los reflectores blancos por luminarias cálidas a la altura del peatón para que la plaza se sienta segura de noche sin deslumbrar.", "lighting", 0.55, 0.65),
    ("Sombrillas desplegables en verano", "Toldos o velarias temporales de abril a junio, cuando el sol del mediodía hace imposible cruzar la plaza.", "seating & shade", 0.50, 0.50),
    ("Rampas y guías podotáctiles", "Rutas accesibles con guías táctiles desde las salidas del Metro Zócalo hasta la Catedral y Palacio Nacional.", "accessibility", 0.45, 0.10),
    ("Baños públicos gratuitos y limpios", "Módulos sanitarios permanentes, accesibles y gratuitos, con cambiador para bebés, cerca de la calle 5 de Febrero.", "cleanliness", 0.85, 0.92),
    ("Fuente interactiva para niñas y niños", "Chorros de agua a ras de piso que se apaguen durante eventos, para que las familias puedan refrescarse.", "play", 0.35, 0.75),
    ("Mercado de productores los domingos", "Un tianguis de productores de Xochimilco y Milpa Alta los domingos por la mañana, con reglas claras de limpieza.", "culture & events", 0.70, 0.40),
    ("Cine al aire libre los viernes", "Proyecciones gratuitas de cine mexicano en pantalla grande los viernes por la noche.", "culture & events", 0.50, 0.30),
    ("Más botes de basura con separación", "Contenedores de basura orgánica, inorgánica y reciclable en cada acceso, vaciados con más frecuencia los fines de semana.", "cleanliness", 0.20, 0.20),
    ("Módulo de información turística", "Un módulo bilingüe con mapas, horarios de museos y ayuda para turistas y visitantes.", "other", 0.90, 0.15),
    ("Jardineras con plantas nativas", "Jardineras bajas con plantas nativas del Valle de México que no obstruyan la vista de los edificios históricos.", "greenery", 0.15, 0.80),
    ("Vigilancia con policías de proximidad", "Más policías a pie que conozcan a los comerciantes y vecinos, en lugar de patrullas estacionadas.", "safety", 0.75, 0.60),
    ("Señalización de rutas de evacuación", "Mapas y señales visibles de evacuación y puntos de reunión para sismos y concentraciones masivas.", "safety", 0.60, 0.85),
    ("Juegos de mesa y ajedrez gigante", "Un área con tableros de ajedrez gigantes y mesas para juegos, como en otras plazas del mundo.", "play", 0.25, 0.60),
    ("Estacionamiento para bicicletas", "Biciestacionamientos seguros junto a la estación de Ecobici y en la calle 20 de Noviembre.", "accessibility", 0.65, 0.95),
    ("Pavimento que no se caliente", "Usar materiales de pavimento claros y permeables que reduzcan el calor y ayuden a recargar el acuífero.", "greenery", 0.40, 0.55),
    ("Escenario pequeño para artistas locales", "Un espacio con horario y registro sencillo para músicos, danza y teatro de barrio.", "culture & events", 0.80, 0.75),
    ("Menos vallas y más plaza abierta", "Retirar las vallas metálicas permanentes y dejar la plaza abierta cuando no haya eventos.", "other", 0.55, 0.20),
    ("Shade sails over the central area", "Removable shade sails around the flagpole so people can actually stay in the square at midday.", "seating & shade", 0.48, 0.45),
    ("Free public Wi-Fi", "Reliable free Wi-Fi across the square for visitors, students and street vendors who take card payments.", "other", 0.65, 0.25),
    ("Wayfinding signs in several languages", "Clear signs in Spanish, English and Nahuatl pointing to the Templo Mayor, museums and the metro.", "accessibility", 0.92, 0.05),
    ("Night lighting on the historic façades", "Gentle façade lighting on the Cathedral and the National Palace instead of floodlights on the pavement.", "lighting", 0.30, 0.05),
    ("Quiet hours for nearby residents", "End amplified events by 10 pm on weeknights so people living in the Centro can sleep.", "culture & events", 0.10, 0.35),
    ("Drinking-water refill stations", "Refill stations for reusable bottles to cut plastic waste from the weekend crowds.", "cleanliness", 0.95, 0.50),
    ("Accessible seating near the metro exits", "Benches with armrests and wheelchair spaces close to the Zócalo metro exits.", "accessibility", 0.40, 0.05),
    ("Children's play corner", "A small, fenced play corner with soft surfacing, away from traffic, for families visiting the centre.", "play", 0.12, 0.65),
    ("Weekly clean-up with volunteers", "A monthly community clean-up morning with the local schools and the sanitation crews.", "cleanliness", 0.70, 0.70),
    ("Emergency call points", "Emergency buttons with cameras and direct lines to C5 at the four corners of the square.", "safety", 0.95, 0.95),
    ("Pop-up library on Sundays", "A mobile library with books and reading mats for kids and adults on Sunday mornings.", "culture & events", 0.22, 0.45),
    ("Native pollinator garden strip", "A strip of native flowers for bees and butterflies along the Cathedral side.", "greenery", 0.60, 0.12),
)


def position(u: float, v: float) -> tuple[float, float]:
    """(lat, lng) at fractions u (west → east) and v (north → south) of the square."""
    (nw_lng, nw_lat), (ne_lng, ne_lat), (se_lng, se_lat), (sw_lng, sw_lat) = CORNERS
    north = (nw_lng + (ne_lng - nw_lng) * u, nw_lat + (ne_lat - nw_lat) * u)
    south = (sw_lng + (se_lng - sw_lng) * u, sw_lat + (se_lat - sw_lat) * u)
    lng = north[0] + (south[0] - north[0]) * v
    lat = north[1] + (south[1] - north[1]) * v
    return round(lat, 6), round(lng, 6)
