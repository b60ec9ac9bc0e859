<#ftl output_format="plainText">
${msg("graphqlLoginLinkIntro", realmName)}
<#if link?has_content>

${msg("graphqlLoginLinkLink", link)}
</#if>
<#if code?has_content>

${msg("graphqlLoginLinkCode", code)}
</#if>

${msg("graphqlLoginLinkOutro", linkExpirationFormatter(linkExpiration))}
