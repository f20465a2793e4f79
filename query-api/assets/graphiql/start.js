// GraphiQL on the GraphQL endpoint next to this page. Requests need a JWT-ZGW token: set
// it in the Headers tab as {"Authorization": "Bearer <token>"}.
(function () {
  var endpoint = window.location.pathname.replace(/\/$/, "");
  var fetcher = GraphiQL.createFetcher({ url: endpoint });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: "headers",
      defaultHeaders: '{\n  "Authorization": "Bearer <JWT-ZGW token>"\n}',
      defaultQuery: "{\n  zaken(first: 10) {\n    totalCount\n    edges { node { url identificatie } }\n  }\n}\n",
    })
  );
})();
