"""schema.org data (JSON-LD) that the pages give search engines."""


def organization(request, cluster):
    """schema.org Organization data for search engines."""
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": cluster.name,
        "url": request.build_absolute_uri(cluster.get_absolute_url()),
        "description": cluster.description,
        "areaServed": [region.name for region in cluster.regions.all()],
        "knowsAbout": [sector.name for sector in cluster.sectors.all()],
    }
    if cluster.acronym:
        data["alternateName"] = cluster.acronym
    if cluster.website:
        data["sameAs"] = [cluster.website]
    if cluster.email:
        data["email"] = cluster.email
    if cluster.phone:
        data["telephone"] = cluster.phone
    if cluster.founded_year:
        data["foundingDate"] = str(cluster.founded_year)
    if cluster.city:
        data["address"] = {
            "@type": "PostalAddress",
            "addressLocality": cluster.city,
            "addressCountry": "FR",
        }
    return data
