"""The XML Schema files an exchange ZIP carries, so a receiver can validate its Dublin Core offline.

``schemas/tfdb-exchange.xsd`` describes the container (one record per file); it imports
``schemas/dc.xsd`` (the fifteen simple Dublin Core elements, each a string with an optional
xml:lang), which imports ``schemas/xml.xsd`` (the xml:lang attribute itself).
"""

from __future__ import annotations

EXCHANGE_NS = "urn:tfdb-dam:exchange:1"
SCHEMA_DIR = "schemas"
EXCHANGE_XSD = "tfdb-exchange.xsd"

_DC_ELEMENTS = (
    "title",
    "creator",
    "subject",
    "description",
    "publisher",
    "contributor",
    "date",
    "type",
    "format",
    "identifier",
    "source",
    "language",
    "relation",
    "coverage",
    "rights",
)

_XML_XSD = """<?xml version="1.0" encoding="UTF-8"?>
<!-- The attributes of the XML namespace that the Dublin Core elements use (xml:lang). -->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.w3.org/XML/1998/namespace">
  <xs:attribute name="lang" type="xs:language"/>
  <xs:attribute name="space">
    <xs:simpleType>
      <xs:restriction base="xs:NCName">
        <xs:enumeration value="default"/>
        <xs:enumeration value="preserve"/>
      </xs:restriction>
    </xs:simpleType>
  </xs:attribute>
  <xs:attribute name="base" type="xs:anyURI"/>
</xs:schema>
"""

_DC_XSD = """<?xml version="1.0" encoding="UTF-8"?>
<!-- Simple Dublin Core (http://purl.org/dc/elements/1.1/): fifteen elements, each text with an
     optional xml:lang; the same shape as DCMI's simpledc schema. -->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="http://purl.org/dc/elements/1.1/"
           targetNamespace="http://purl.org/dc/elements/1.1/" elementFormDefault="qualified">
  <xs:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="xml.xsd"/>
  <xs:complexType name="elementType">
    <xs:simpleContent>
      <xs:extension base="xs:string">
        <xs:attribute ref="xml:lang" use="optional"/>
      </xs:extension>
    </xs:simpleContent>
  </xs:complexType>
{elements}
</xs:schema>
"""

_EXCHANGE_XSD = """<?xml version="1.0" encoding="UTF-8"?>
<!-- An exchange export of TFDB DAM: one record per file in the ZIP, described in Dublin Core.
     file: the ZIP entry holding the file (also the filename column of metadata.csv). -->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:dc="http://purl.org/dc/elements/1.1/"
           xmlns:tfdb="{ns}" targetNamespace="{ns}" elementFormDefault="qualified">
  <xs:import namespace="http://purl.org/dc/elements/1.1/" schemaLocation="dc.xsd"/>
  <xs:element name="export">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="record" type="tfdb:recordType" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence>
      <xs:attribute name="created" type="xs:dateTime" use="required"/>
      <xs:attribute name="count" type="xs:nonNegativeInteger" use="required"/>
      <xs:attribute name="source" type="xs:string" use="optional"/>
    </xs:complexType>
    <xs:unique name="oneRecordPerFile">
      <xs:selector xpath="tfdb:record"/>
      <xs:field xpath="@file"/>
    </xs:unique>
  </xs:element>
  <xs:complexType name="recordType">
    <xs:choice minOccurs="1" maxOccurs="unbounded">
{refs}
    </xs:choice>
    <xs:attribute name="file" type="xs:string" use="required"/>
    <xs:attribute name="sha256" use="required">
      <xs:simpleType>
        <xs:restriction base="xs:string">
          <xs:pattern value="[0-9a-f]{{64}}"/>
        </xs:restriction>
      </xs:simpleType>
    </xs:attribute>
    <xs:attribute name="kind" use="required">
      <xs:simpleType>
        <xs:restriction base="xs:string">
          <xs:enumeration value="photo"/>
          <xs:enumeration value="video"/>
          <xs:enumeration value="document"/>
          <xs:enumeration value="audio"/>
        </xs:restriction>
      </xs:simpleType>
    </xs:attribute>
    <xs:attribute name="rendition" type="xs:string" use="required"/>
    <xs:attribute name="rightsExpireAfter" type="xs:date" use="optional"/>
  </xs:complexType>
</xs:schema>
"""


def schema_files() -> dict[str, str]:
    """ZIP entry name -> text of each schema file."""
    elements = "\n".join(f'  <xs:element name="{name}" type="elementType"/>' for name in _DC_ELEMENTS)
    refs = "\n".join(f'      <xs:element ref="dc:{name}"/>' for name in _DC_ELEMENTS)
    return {
        f"{SCHEMA_DIR}/{EXCHANGE_XSD}": _EXCHANGE_XSD.format(ns=EXCHANGE_NS, refs=refs),
        f"{SCHEMA_DIR}/dc.xsd": _DC_XSD.format(elements=elements),
        f"{SCHEMA_DIR}/xml.xsd": _XML_XSD,
    }
