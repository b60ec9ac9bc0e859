<#ftl output_format="plainText">
${msg("graphqlEmailUpdateNoticeBody", link, linkExpiration, realmName, linkExpirationFormatter(linkExpiration), newEmail, oldEmail)}
