<#ftl output_format="plainText">
${msg("graphqlSignUpExistingBody", link, linkExpiration, realmName)}
