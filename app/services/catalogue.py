"""The programme definitions: the files on disk for new enrolments, the pinned copies for the rest.

An enrolment pins the ``PathwayVersion`` row it started on, and that row keeps the definition's
text. Enrolments are evaluated from that stored text, so editing a file never changes an enrolment
in flight; an edited file whose version is pinned is refused (``pinned_file_problems``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache

from sqlalchemy import Connection, func, inspect, select
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.models import Competency, Enrolment, PathwayVersion
from app.services.errors import NotFound, ValidationFailed
from pathways import Catalogue, Definition, DefinitionError, Problem, load_catalogue
from pathways.loader import DEFINITIONS_DIR, checksum, load_text

# Parsed stored copies by (key, version, checksum): pages evaluate many enrolments per request.
_stored: dict[tuple[str, int, str], Definition] = {}


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The definition files on disk, read once per process."""
    return load_catalogue()


def _stored_copy(key: str, version: int, digest: str, source: str) -> Definition:
    ident = (key, version, digest)
    if ident not in _stored:
        _stored[ident] = load_text(source, f"{key}.v{version}.toml (stored copy)")
    return _stored[ident]


def definition_for(version: PathwayVersion) -> Definition:
    """The definition an enrolment pinned, parsed from the row's stored text, never from the file."""
    return _stored_copy(version.key, version.version, version.checksum, version.source)


def definitions_by_id(versions: Iterable[tuple[int, str, int, str]]) -> dict[int, Definition]:
    """Pinned definitions by version id, from (id, key, version, checksum); the stored text is read
    (one query) only for versions this process has not parsed yet."""
    wanted = list(versions)
    missing = [vid for vid, key, version, digest in wanted if (key, version, digest) not in _stored]
    sources = dict(
        db.session.execute(select(PathwayVersion.id, PathwayVersion.source).where(PathwayVersion.id.in_(missing)))
        .tuples()
        .all()
    ) if missing else {}  # fmt: skip
    return {
        vid: _stored[(key, version, digest)] if vid not in sources else _stored_copy(key, version, digest, sources[vid])
        for vid, key, version, digest in wanted
    }


def stored_definitions(connection: Connection) -> Callable[[str, int], Definition]:
    """Look up pinned definitions by key and version (all rows read at once), for code holding only the pair."""
    rows = connection.execute(
        select(PathwayVersion.key, PathwayVersion.version, PathwayVersion.checksum, PathwayVersion.source)
    )
    by_pair = {(row.key, row.version): row for row in rows}

    def definition_of(key: str, version: int) -> Definition:
        return _stored_copy(*by_pair[(key, version)])

    return definition_of


def latest_definition(key: str) -> Definition:
    """The newest version on disk: what a new enrolment starts on."""
    try:
        return catalogue().latest(key)
    except KeyError:
        raise NotFound(f"There is no programme called '{key}'") from None


def shown_file(name: str) -> str:
    """A definition file as people name it, ``pathways/definitions/preceptorship.v1.toml``."""
    return str(DEFINITIONS_DIR.relative_to(DEFINITIONS_DIR.parents[1]) / name)


def _changed_pinned(file: str, definition: Definition, enrolled: int, on_disk: Iterable[int]) -> Problem:
    """The refusal of an edited pinned file, advising the first version number neither stored nor on disk."""
    key, version = definition.key, definition.version
    stored = db.session.scalar(select(func.max(PathwayVersion.version)).where(PathwayVersion.key == key)) or 0
    new = max(stored, version, *on_disk) + 1
    return Problem(
        file,
        "version",
        f"version {version} of {key} is pinned by {enrolled} enrolment{'' if enrolled == 1 else 's'} and its "
        f"content differs from the stored copy; copy it to {key}.v{new}.toml with version = {new} "
        "instead of editing it",
    )


def pathway_version(definition: Definition) -> PathwayVersion:
    """The database row pinning this definition, created with its competencies the first time.

    A row no enrolment pins yet follows an edited file (its stored copy is refreshed); a pinned row
    whose file was edited is refused, as ``pinned_file_problems`` refuses it at start-up.
    """
    source = catalogue().text(definition.key, definition.version)
    row = db.session.scalar(
        select(PathwayVersion).where(PathwayVersion.key == definition.key, PathwayVersion.version == definition.version)
    )
    if row is not None and row.checksum == checksum(source):
        return row
    if row is None:
        row = PathwayVersion(key=definition.key, version=definition.version)
        db.session.add(row)
    elif enrolled := db.session.scalar(select(func.count()).where(Enrolment.pathway_version_id == row.id)):
        on_disk = [d.version for d in catalogue() if d.key == definition.key]
        problem = _changed_pinned(shown_file(definition.source), definition, enrolled, on_disk)
        raise ValidationFailed({"pathway": problem.message}, str(problem))
    else:
        for competency in row.competencies:
            db.session.delete(competency)
        row.competencies = []
    row.title, row.source, row.checksum = definition.title, source, checksum(source)
    for position, item in enumerate(definition.all_competencies()):
        row.competencies.append(Competency(key=item.key, title=item.title, group=item.group, position=position))
    db.session.flush()
    return row


def database_ready() -> bool:
    """Whether the database answers and has been migrated (the pinned copies can be read)."""
    try:
        tables = inspect(db.engine)
        return tables.has_table(PathwayVersion.__tablename__) and tables.has_table(Enrolment.__tablename__)
    except SQLAlchemyError:
        return False


def pinned_file_problems(files: Iterable[tuple[str, Definition, str]]) -> list[Problem]:
    """Refuse each (file, definition, text) whose version enrolments pin and whose text is not the stored copy.

    A version that no enrolment pins is not refused: the next enrolment refreshes its stored copy.
    """
    files = list(files)
    columns = (PathwayVersion.id, PathwayVersion.key, PathwayVersion.version, PathwayVersion.checksum)
    rows = db.session.execute(
        select(*columns, func.count(Enrolment.id).label("enrolled"))
        .join(Enrolment, Enrolment.pathway_version_id == PathwayVersion.id)
        .group_by(*columns)
    )
    pinned = {(row.key, row.version): row for row in rows}
    problems = []
    for file, definition, text in files:
        row = pinned.get((definition.key, definition.version))
        if row is not None and row.checksum != checksum(text):
            on_disk = [d.version for _, d, _ in files if d.key == definition.key]
            problems.append(_changed_pinned(file, definition, row.enrolled, on_disk))
    return problems


def startup_problems() -> list[str] | None:
    """What stops this process serving: edited pinned files, and stored copies that no longer load.

    None while the database is unreachable or not yet migrated, so the caller can ask again later.
    """
    if not database_ready():
        return None
    loaded = catalogue()
    files = [(shown_file(d.source), d, loaded.text(d.key, d.version)) for d in loaded]
    problems = [str(p) for p in pinned_file_problems(files)]
    pinned = select(PathwayVersion).where(PathwayVersion.id.in_(select(Enrolment.pathway_version_id)))
    for row in db.session.scalars(pinned):
        try:
            definition_for(row)
        except DefinitionError as error:
            problems += [str(p) for p in error.problems]
    return problems
