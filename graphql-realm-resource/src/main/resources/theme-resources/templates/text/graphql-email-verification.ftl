<#ftl output_format="plainText">
${msg("graphqlEmailVerificationBody", link, linkExpiration, realmName, linkExpirationFormatter(linkExpiration))}
