package align

import (
	"slices"
	"strings"
	"sync"
)

// Built-in Dutch→English word list: frequent words whose translations are
// not cognates, so that short sentences without names or numbers still
// have anchors. Keys and values are folded and without diacritics;
// "|" separates English alternatives. Words so frequent that unrelated
// sentences share them too ("de", "het", "een", "en", "van") are left out.
const builtinWords = `
met=with voor=for|before na=after naar=to|towards uit=from|out|of op=on|at onder=under|below|among boven=above
tussen=between door=by|through bij=at|by|near|with tot=until|to|up tegen=against zonder=without tijdens=during
ook=also|too maar=but of=or|whether als=if|as|when|like dan=then|than nog=still|yet|more al=already|all
nu=now hier=here daar=there altijd=always nooit=never soms=sometimes vaak=often weer=again heel=very|whole
zeer=very erg=very|bad alleen=only|alone samen=together echter=however omdat=because waarom=why hoe=how
wat=what wie=who|whom waar=where|true wanneer=when welke=which|what niet=not|no geen=no|not|none ja=yes nee=no
wij=we ons=us|our onze=our jij=you je=you|your u=you uw=your hij=he hem=him zij=she|they ze=she|they|them
haar=her|hair hun=their|them mijn=my|mine ik=i dit=this deze=these|this dat=that|which die=that|who|those|which
er=there iets=something niets=nothing iemand=someone|somebody|anyone niemand=nobody|no-one allemaal=all
iedereen=everyone|everybody elke=every|each ieder=every|each andere=other|others|different veel=many|much|lot
weinig=few|little meer=more|lake meeste=most minder=less|fewer eerste=first tweede=second derde=third
laatste=last|latest volgende=next|following vorige=previous|last nieuw=new nieuwe=new oud=old oude=old
jong=young jonge=young groot=large|big|great|major grote=large|big|great|major klein=small|little
kleine=small|little goed=good|well goede=good beter=better beste=best slecht=bad snel=fast|quick|quickly
hoog=high hoge=high laag=low lage=low lang=long lange=long kort=short korte=short mooi=beautiful|nice|pretty
mooie=beautiful|nice|pretty belangrijk=important belangrijke=important gratis=free makkelijk=easy
moeilijk=difficult|hard zwart=black wit=white witte=white rood=red rode=red blauw=blue blauwe=blue
groen=green groene=green geel=yellow gele=yellow grijs=grey|gray bruin=brown
jaar=year|years jaren=years maand=month maanden=months week=week weken=weeks dag=day dagen=days uur=hour|hours
minuten=minutes tijd=time vandaag=today morgen=tomorrow|morning gisteren=yesterday avond=evening nacht=night
ochtend=morning zomer=summer winter=winter voorjaar=spring lente=spring najaar=autumn|fall herfst=autumn|fall
mensen=people|humans mens=person|human|man man=man|husband mannen=men vrouw=woman|wife vrouwen=women
kind=child kinderen=children vader=father moeder=mother ouders=parents broer=brother zus=sister zoon=son
dochter=daughter vriend=friend vrienden=friends familie=family gezin=family
huis=house|home woning=house|home|dwelling kamer=room kamers=rooms keuken=kitchen tuin=garden badkamer=bathroom
slaapkamer=bedroom zwembad=pool|swimming strand=beach zee=sea berg=mountain bergen=mountains meer=lake
stad=city|town dorp=village straat=street weg=road|way land=country|land wereld=world gebied=area|region
auto=car fiets=bike|bicycle trein=train vliegtuig=plane|aircraft|airplane vliegveld=airport luchthaven=airport
winkel=shop|store winkelwagen=cart|basket bestellen=order bestelling=order kopen=buy|purchase verkoop=sale|sales
prijs=price|prize prijzen=prices|prizes betalen=pay betaling=payment klant=customer klanten=customers
bedrijf=company|business bedrijven=companies|businesses dienst=service diensten=services werk=work|job
werken=work|working werknemers=employees|workers geld=money kosten=costs|cost|charges
zoeken=search|find zoek=search vinden=find gevonden=found gebruik=use|usage gebruiken=use hulp=help helpen=help
vraag=question|request vragen=questions|ask antwoord=answer probleem=problem problemen=problems
oplossing=solution bericht=message|post berichten=messages|posts reactie=comment|reaction|response
reacties=comments|reactions pagina=page foto=photo|picture afbeelding=image|picture lezen=read schrijven=write
taal=language talen=languages engels=english nederlands=dutch duits=german frans=french
leven=life|live liefde=love hond=dog honden=dogs kat=cat paard=horse vis=fish boom=tree bomen=trees
bloem=flower bloemen=flowers hoofd=head|main oog=eye ogen=eyes hart=heart lichaam=body gezondheid=health
ziekte=disease|illness arts=doctor|physician ziekenhuis=hospital kerk=church geloof=faith|belief
bank=bank|sofa|couch markt=market handel=trade overheid=government regering=government wet=law
recht=right|law|justice oorlog=war vrede=peace leger=army veiligheid=safety|security kwaliteit=quality
ervaring=experience opleiding=training|education|course onderwijs=education|teaching universiteit=university
leerlingen=pupils|students les=lesson|class leraar=teacher boek=book boeken=books school=school
deel=part|share stuk=piece|part groep=group lid=member leden=members eigen=own volledig=full|complete
verschillende=different|various verschil=difference zien=see|view bekijk=view|see|watch kijken=look|watch
horen=hear zeggen=say zegt=says zei=said gaan=go gaat=goes ging=went komen=come komt=comes kwam=came
maken=make|create gemaakt=made doen=do geven=give geeft=gives nemen=take krijgen=get|receive kunnen=can|able
kan=can moet=must|should|have moeten=must|should|have wil=want|will willen=want zal=will|shall zullen=will
worden=be|become werd=was|became wordt=is|becomes waren=were ben=am bent=are zijn=are|be|his|its
hebben=have heeft=has had=had heb=have denken=think weten=know weet=know|knows begrijpen=understand
spelen=play spel=game|play eten=eat|food drinken=drink|drinks slapen=sleep lopen=walk|run rijden=drive|ride
water=water vuur=fire licht=light|lighting lucht=air|sky zon=sun maan=moon sterren=stars weer=weather|again
mogelijk=possible|possibly natuurlijk=natural|naturally|course direct=directly|immediately
binnen=within|inside|in buiten=outside|outdoor rond=around|round links=left|links rechts=right
boven=above|upstairs beneden=downstairs|below begin=beginning|start einde=end nieuws=news
verhaal=story vandaar=hence hoewel=although zoals=like|as|such toch=yet|still|nevertheless
gemeente=municipality|council|congregation verkiezingen=elections verkiezing=election partij=party
stemmen=votes|vote|voices kiezers=voters burgemeester=mayor rechter=judge rechtbank=court advocaat=lawyer
gevangenis=prison|jail misdaad=crime moord=murder dood=dead|death overleden=died gedood=killed
gewond=injured|wounded slachtoffers=victims ongeluk=accident|crash brand=fire aardbeving=earthquake
overstroming=flood|flooding regen=rain sneeuw=snow graden=degrees belasting=tax|taxes belastingen=taxes
miljoen=million miljard=billion duizend=thousand|thousands honderd=hundred|hundreds procent=percent|cent
goedkoop=cheap duur=expensive|duration winst=profit|win verlies=loss groei=growth economie=economy
werkloosheid=unemployment banen=jobs baan=job|lane loon=wage|wages|pay salaris=salary wedstrijd=match|game|race
ploeg=team|side speler=player spelers=players doelpunt=goal doelpunten=goals overwinning=victory|win
nederlaag=defeat kampioen=champion seizoen=season scoorde=scored verloor=lost vertellen=tell vertelde=told
vroeg=asked|early antwoordde=replied|answered gebeurd=happened gebeurt=happens beginnen=begin|start
begon=began|started stoppen=stop stopte=stopped blijven=stay|remain bleef=stayed|remained proberen=try
probeerde=tried wonen=live woont=lives woonde=lived verkopen=sell verkocht=sold betaald=paid sturen=send
gestuurd=sent ontvangen=receive|received openen=open geopend=opened sluiten=close gesloten=closed
bouwen=build gebouwd=built veranderen=change veranderd=changed groeien=grow vallen=fall viel=fell
staan=stand stond=stood zitten=sit zat=sat liggen=lie lag=lay brengen=bring bracht=brought kiezen=choose|elect
verliezen=lose winnen=win vond=found|thought dacht=thought voelen=feel voelde=felt lijken=seem leek=seemed
kennen=know kende=knew leren=learn|teach spreken=speak sprak=spoke praten=talk noemen=call|name noemde=called
betekent=means bedoelen=mean toont=shows tonen=show houden=keep|hold|love hield=kept|held kreeg=got|received
kwestie=issue|matter zaak=case|matter|business onderzoek=research|investigation|study verslag=report
besluit=decision beslissing=decision voorstel=proposal regels=rules regel=rule|line doel=goal|aim|target
reden=reason gevolg=consequence|result resultaat=result manier=way|manner soort=kind|sort|type aantal=number
helft=half midden=middle|mid kant=side plaats=place plek=place|spot ruimte=space|room gebouw=building
kantoor=office fabriek=factory deur=door raam=window muur=wall vloer=floor dak=roof trap=stairs tafel=table
stoel=chair kast=cupboard|closet|cabinet kleren=clothes kleding=clothing|clothes schoenen=shoes jas=coat|jacket
tas=bag sleutel=key telefoon=phone|telephone scherm=screen toetsenbord=keyboard bestand=file map=folder|map
gegevens=data|details instellingen=settings gebruiker=user gebruikers=users klik=click klikken=click knop=button
venster=window lijst=list tabel=table overzicht=overview|summary inhoud=content|contents beschrijving=description
eigenschappen=properties|features kenmerken=features|characteristics voordelen=benefits|advantages
nadelen=disadvantages afmetingen=dimensions gewicht=weight maat=size maten=sizes kleur=colour|color
kleuren=colours|colors hoogte=height breedte=width lengte=length diepte=depth levertijd=delivery voorraad=stock
beschikbaar=available uitverkocht=sold aanbieding=offer korting=discount verzendkosten=shipping
winkelmand=basket|cart afrekenen=checkout zeker=sure|certain|certainly misschien=maybe|perhaps
waarschijnlijk=probably|likely bijna=almost|nearly genoeg=enough steeds=increasingly|always|still
meteen=immediately|right eerder=earlier|previously|before vroeger=formerly|used ooit=ever|once
overal=everywhere ergens=somewhere nergens=nowhere vooral=especially|mainly|particularly
ongeveer=about|approximately|around slechts=only|just zelfs=even echt=really|real vrij=free|fairly|quite
gewoon=just|simply|normal|ordinary eenvoudig=simple|easy|simply langzaam=slow|slowly laat=late|let koud=cold
heet=hot|called nat=wet droog=dry zwaar=heavy|hard donker=dark leeg=empty vol=full ziek=sick|ill gezond=healthy
blij=happy|glad gelukkig=happy|fortunately|lucky boos=angry bang=afraid|scared moe=tired sterk=strong
zwak=weak rijk=rich arm=poor|arm veilig=safe|secure gevaarlijk=dangerous vreemd=strange|foreign
bekend=known|famous|familiar beroemd=famous buitenlandse=foreign openbaar=public openbare=public
particuliere=private hele=whole|entire gehele=entire|whole enige=only|some bepaalde=certain|specific
duidelijk=clear|clearly juist=right|correct|just fout=wrong|error|mistake bos=forest|woods veld=field
rivier=river eiland=island kust=coast haven=port|harbour|harbor brug=bridge hemel=sky|heaven aarde=earth
steen=stone hout=wood ijzer=iron glas=glass papier=paper vlees=meat brood=bread kaas=cheese melk=milk ei=egg
eieren=eggs appel=apple groente=vegetables suiker=sugar zout=salt koffie=coffee thee=tea bier=beer wijn=wine
maaltijd=meal ontbijt=breakfast jongen=boy meisje=girl burger=citizen burgers=citizens|civilians
inwoners=residents|inhabitants bewoners=residents buren=neighbours|neighbors eigenaar=owner baas=boss
leider=leader koning=king koningin=queen soldaten=soldiers agenten=officers|police
woordvoerder=spokesman|spokeswoman|spokesperson deskundige=expert deskundigen=experts
wetenschappers=scientists onderzoekers=researchers artsen=doctors
`

// builtinDict holds the parsed word list as anchor keys: each Dutch word
// has one key, and each English word carries the keys of all the Dutch words
// it may translate, so that a Dutch word matches (or misses) once however
// many translations it has.
type builtinDict struct {
	nl map[string][]uint64
	en map[string][]uint64
}

var loadBuiltinDict = sync.OnceValue(func() *builtinDict {
	d := &builtinDict{nl: map[string][]uint64{}, en: map[string][]uint64{}}
	for _, f := range strings.Fields(builtinWords) {
		nl, ens, _ := strings.Cut(f, "=")
		k := keyOf(kindDict, nl)
		d.nl[nl] = []uint64{k}
		for _, e := range strings.Split(ens, "|") {
			if !slices.Contains(d.en[e], k) {
				d.en[e] = append(d.en[e], k)
			}
		}
	}
	return d
})
