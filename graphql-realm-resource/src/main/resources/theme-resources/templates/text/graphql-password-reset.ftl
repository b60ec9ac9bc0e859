<#ftl output_format="plainText">
${msg("graphqlPasswordResetBody", link, linkExpiration, realmName, linkExpirationFormatter(linkExpiration))}
