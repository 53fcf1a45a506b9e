"""Other tools' SLO documents in (Sloth, OpenSLO) and out (OpenSLO): each converter turns a
document into obsgen's model objects, or refuses it naming the file, line and field."""
